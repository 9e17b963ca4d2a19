package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code verdant ARGS} in a JVM of its own and sends it a signal, as a terminal (Ctrl-C), a service manager or
 * {@code kill PID} would: the shutdown paths can only be tested in a real process.
 */
public final class SignalledCli {

    /** The child JVM is killed after this long, so a signal that never arrives fails the test instead of hanging. */
    private static final long CHILD_LIMIT_SECONDS = 120;

    private SignalledCli() {
    }

    /**
     * Starts {@code verdant ARGS} in a new JVM, sends it {@code signal} ({@code INT}, {@code TERM}, {@code HUP}) once
     * an output line starts with {@code trigger}, checks it exits with {@code expectedExit} and no stack trace, and
     * returns its output (stdout and stderr).
     */
    public static String signalAfter(String trigger, String signal, int expectedExit, String... args)
            throws Exception {
        int number = switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException("no such stop signal: " + signal);
        };
        assumeFalse(ignored(number), "this JVM was started with SIG" + signal + " ignored (SIGINT by a background job "
                + "of a non-interactive shell, SIGHUP by nohup); the child JVM inherits that, so the signal cannot reach it");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.verdant.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture.runAsync(p::destroyForcibly,
                CompletableFuture.delayedExecutor(CHILD_LIMIT_SECONDS, TimeUnit.SECONDS));
        StringBuilder seen = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith(trigger)) {
                    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
                }
            }
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
        assertThat(p.exitValue()).as(seen.toString()).isEqualTo(expectedExit);
        assertThat(seen.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return seen.toString();
    }

    /**
     * Whether signal {@code number} is ignored in this process, as a child started from it inherits: read from the
     * SigIgn mask of {@code /proc/self/status} (bit N-1 is signal N); false where there is no such file.
     */
    private static boolean ignored(int number) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }
}
