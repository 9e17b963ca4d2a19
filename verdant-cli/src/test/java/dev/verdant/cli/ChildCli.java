package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code verdant} in a JVM of its own, from {@code /bin/sh}, for what an in-JVM run cannot see: raw bytes in
 * arguments (the shell passes them as typed) and what native code writes straight to the process's stderr.
 */
final class ChildCli {

    /** The child's exit code and its whole stdout and stderr. */
    record Result(int exit, String out, String err) {
    }

    private ChildCli() {
    }

    /**
     * Runs {@code script} with {@code sh -c} in {@code dir}; in it, {@code "$@"} is the command that starts verdant
     * (a JVM with the test's class path), so {@code exec "$@" inspect model.onnx} runs {@code verdant inspect}.
     */
    static Result run(Path dir, String script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the flags the ./verdant launcher passes, so the child prints what a user's run prints and nothing more
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh", java));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), "dev.verdant.cli.Main"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("verdant ended within 120 s").isTrue();
        return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8), err);
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
