package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.train.zoo.Zoo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's quality metric, compiled here from source into a jar of its own (not on the test class path), loaded by
 * {@code verdant compress --plugin} and named by {@code --tolerance}.
 */
class QualityPluginTest {

    /** The share of values whose sign the compressed model keeps: a metric Verdant does not have. */
    private static final String METRIC_SOURCE = """
            package example.metrics;

            import dev.verdant.quality.OutputPair;
            import dev.verdant.quality.QualityMetric;

            public final class SignAgreement implements QualityMetric {
                @Override
                public String name() {
                    return "sign-agree";
                }

                @Override
                public String description() {
                    return "share of values whose sign is the original's (higher is better)";
                }

                @Override
                public Accumulator start() {
                    return new Accumulator() {
                        private long same;
                        private long total;

                        @Override
                        public void add(OutputPair pair) {
                            for (int i = 0; i < pair.reference().length; i++) {
                                same += Math.signum(pair.reference()[i]) == Math.signum(pair.candidate()[i]) ? 1 : 0;
                                total++;
                            }
                        }

                        @Override
                        public double value() {
                            return total == 0 ? Double.NaN : (double) same / total;
                        }
                    };
                }
            }
            """;

    @TempDir
    Path dir;

    private Path model;
    private String output;

    @BeforeEach
    void lenet() {
        model = dir.resolve("lenet5.onnx");
        var proto = Zoo.imageClassifier("lenet5", 10, 1.0, 1).build();
        OnnxModels.write(proto, model);
        output = OnnxGraph.of(proto).outputs().get(0).getName();
    }

    private String[] compress(String out, String... more) {
        return Stream.concat(Stream.of("compress", model.toString(), "--recipe", "int8-static", "--data",
                "fashion-mnist-sample", "--threads", "1", "--check", "64", "--rounds", "0", "--no-energy", "--out",
                dir.resolve(out).toString()), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void aMetricInASeparateJarIsLoadedByPluginAndHoldsItsOutput() throws Exception {
        Path jar = pluginJar(true);
        // the metric's class is not on the test class path: only the jar brings it
        assertThat(getClass().getClassLoader().getResource("example/metrics/SignAgreement.class")).isNull();

        CliRun run = CliRun.of(compress("held.onnx", "--json", "--plugin", jar.toString(), "--tolerance",
                output + "=sign-agree>=0.5"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode outputs = Json.mapper().readTree(run.out()).path("compression").path("outputs");
        assertThat(outputs).hasSize(1);
        JsonNode row = outputs.get(0);
        assertThat(row.path("output").asText()).isEqualTo(output);
        assertThat(row.path("kind").asText()).isEqualTo("logits");
        double signAgree = row.path("measures").path("sign-agree").asDouble(-1);
        assertThat(signAgree).isBetween(0.5, 1.0);
        assertThat(row.path("measures").path("top1-agree").asDouble(-1)).isBetween(0.0, 1.0);
        assertThat(row.path("tolerances").get(0).asText()).isEqualTo("sign-agree>=0.5");
        assertThat(row.path("passed").asBoolean(false)).isTrue();
        assertThat(dir.resolve("held.onnx")).exists();

        // the same metric above what it measured: the run fails, names the tolerance, and writes nothing
        CliRun broken = CliRun.of(compress("broken.onnx", "--plugin", jar.toString(), "--tolerance",
                output + "=sign-agree>=" + Math.nextUp(signAgree)));
        assertThat(broken.exitCode()).as(broken.err()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(broken.err()).contains("output tolerance " + output + "=sign-agree>=");
        assertThat(dir.resolve("broken.onnx")).doesNotExist();
        assertThat(broken.out()).contains("Outputs (over 64 examples)").contains("sign-agree");
    }

    @Test
    void theOutputIsNeverThePluginJar() throws Exception {
        Path jar = pluginJar(true);
        long size = java.nio.file.Files.size(jar);

        // dir.resolve of an absolute path is that path: --out names the plugin jar itself
        CliRun run = CliRun.of(compress(jar.toString(), "--plugin", jar.toString()));

        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).contains(jar.getFileName().toString()).doesNotContain("\n");
        assertThat(java.nio.file.Files.size(jar)).isEqualTo(size);
    }

    @Test
    void aJarWithoutTheServiceEntryIsRefusedInOneLineNamingIt() throws Exception {
        Path jar = pluginJar(false);

        CliRun run = CliRun.of(compress("never.onnx", "--plugin", jar.toString(), "--tolerance",
                output + "=sign-agree>=0.5"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).contains(jar.toString()).contains(MetricRegistry.SERVICE_ENTRY)
                .doesNotContain("\n");
        assertThat(dir.resolve("never.onnx")).doesNotExist();
    }

    @Test
    void anUnknownMetricOrOutputNamesTheNearestValidOne() throws Exception {
        Path jar = pluginJar(true);

        CliRun metric = CliRun.of(compress("never.onnx", "--plugin", jar.toString(), "--tolerance",
                output + "=sign-agre>=0.5"));
        assertThat(metric.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(metric.err().strip()).contains("unknown metric 'sign-agre'").contains("did you mean 'sign-agree'")
                .doesNotContain("\n");

        CliRun out = CliRun.of(compress("never.onnx", "--tolerance", output + "x=cos>=0.9"));
        assertThat(out.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out.err().strip()).contains("no output '" + output + "x'").contains("did you mean '" + output + "'")
                .doesNotContain("\n");

        CliRun syntax = CliRun.of(compress("never.onnx", "--tolerance", output + "=cos=0.9"));
        assertThat(syntax.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(syntax.err().strip()).contains("OUT=METRIC>=X").doesNotContain("\n");
        assertThat(dir.resolve("never.onnx")).doesNotExist();
    }

    /** Compiles the metric and packs it, with the service entry when {@code withService}. */
    private Path pluginJar(boolean withService) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/example/metrics"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path source = Files.writeString(sources.resolve("SignAgreement.java"), METRIC_SOURCE);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "21", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(status).as("javac").isZero();
        Path jar = dir.resolve(withService ? "sign-metric.jar" : "no-service.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            if (withService) {
                out.putNextEntry(new JarEntry(MetricRegistry.SERVICE_ENTRY));
                write(out, "example.metrics.SignAgreement\n");
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

}
