package dev.verdant.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a command Verdant launched, with everything it started: when Verdant itself is told to stop (Ctrl-C, or
 * SIGTERM or SIGHUP from a service manager or {@code kill PID}, which reach Verdant's JVM alone), the command and
 * its descendants get SIGTERM, a grace period to exit, then SIGKILL. Nothing it started keeps running untracked.
 */
final class ChildProcesses {

    /** Verdant's own stderr as a file, where the system has one (Linux, macOS). */
    private static final Path STDERR = Path.of("/dev/stderr");

    private ChildProcesses() {
    }

    /**
     * With {@code --json} stdout carries only the result, so the command's own stdout goes to Verdant's stderr: the
     * operating system appends it there byte for byte (a binary or non-UTF-8 output arrives unchanged).
     *
     * @return false where there is no {@code /dev/stderr}; the caller then copies the bytes itself
     */
    static boolean sendOutputToStderr(ProcessBuilder builder) {
        if (!Files.exists(STDERR)) {
            return false;
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(STDERR.toFile()));
        return true;
    }

    /**
     * Waits up to {@code ownExit} for the command to exit by itself (a Ctrl-C at a terminal reaches it too), then
     * stops it and its descendants: SIGTERM, up to {@code grace}, then SIGKILL.
     */
    static void stop(Process process, Duration ownExit, Duration grace) {
        try {
            if (process.waitFor(ownExit.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            // The command first, then what it started: a shell whose current child died first would run its next line.
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            descendants.forEach(ProcessHandle::destroy);
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
