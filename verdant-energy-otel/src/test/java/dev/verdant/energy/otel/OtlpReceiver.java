package dev.verdant.energy.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 (an ephemeral port) that decodes each request body with the
 * protocol's own protobuf classes and keeps it: what a collector would have received.
 */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/v1/metrics", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                received.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ExportMetricsServiceRequest> received() {
        return received;
    }

    List<String> contentTypes() {
        return contentTypes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
