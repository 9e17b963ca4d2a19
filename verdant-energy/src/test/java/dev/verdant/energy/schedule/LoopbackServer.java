package dev.verdant.energy.schedule;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A local HTTP server on 127.0.0.1 (an ephemeral port) that answers each path with scripted responses, one per
 * request in turn (the last repeats), and records every request it got, so provider clients can be tested
 * without the internet.
 */
final class LoopbackServer implements AutoCloseable {

    /** One scripted answer: a status and body, optionally after a delay (to trip client timeouts). */
    record Reply(int status, String body, Duration delay) {
        static Reply json(String body) {
            return new Reply(200, body, Duration.ZERO);
        }

        static Reply status(int status, String body) {
            return new Reply(status, body, Duration.ZERO);
        }

        static Reply slow(Duration delay, String body) {
            return new Reply(200, body, delay);
        }
    }

    /** A request as the server saw it. */
    record Seen(String path, String query, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final Map<String, List<Reply>> script = new ConcurrentHashMap<>();
    private final Map<String, Integer> served = new ConcurrentHashMap<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code path} with {@code replies}, in turn. */
    LoopbackServer on(String path, Reply... replies) {
        script.put(path, List.of(replies));
        return this;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Seen> requests(String path) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        seen.add(new Seen(path, exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders())));
        List<Reply> replies = script.get(path);
        Reply reply;
        if (replies == null) {
            reply = Reply.status(404, "{\"error\":\"no such path " + path + "\"}");
        } else {
            int n = served.merge(path, 1, Integer::sum) - 1;
            reply = replies.get(Math.min(n, replies.size() - 1));
        }
        try {
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // The client timed out and closed the connection: expected in the timeout tests.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** Settings that keep tests fast: short timeouts, 3 tries, 10 ms backoff. */
    static HttpSettings fastSettings() {
        return new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(400), 3, Duration.ofMillis(10));
    }
}
