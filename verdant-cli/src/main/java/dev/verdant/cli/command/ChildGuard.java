package dev.verdant.cli.command;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * A command Verdant launches and a stop signal for Verdant, under one lock: either the command starts (with what
 * watches it, such as its energy tracking) and the signal's shutdown hook stops it, or the signal comes first and
 * the command never starts. Without the lock a signal between the launch and the hook's registration, or between
 * the decision and the launch, would leave the command running after Verdant has exited.
 *
 * @param <T> what is attached to the started process under the same lock
 */
final class ChildGuard<T> {

    /** A started command and what was attached to it. */
    record Started<T>(Process process, T attached) {
    }

    private Started<T> started;
    private boolean cancelled;

    /**
     * Starts the command and attaches {@code attach(process)} to it, unless the JVM is already shutting down; then
     * this waits for the halt rather than start the command or throw into an error report.
     *
     * @throws IllegalArgumentException naming the command, if it cannot be run (no such program, not executable)
     */
    synchronized Started<T> start(ProcessBuilder builder, Function<Process, T> attach) throws InterruptedException {
        while (cancelled) {
            wait();
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run '" + builder.command().getFirst() + "': "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        try {
            started = new Started<>(process, attach.apply(process));
        } catch (RuntimeException | Error e) {
            ChildProcesses.stop(process, Duration.ZERO, Duration.ofSeconds(5));
            throw e;
        }
        return started;
    }

    /** Marks the launch cancelled and returns the started command, or null if it had not started. */
    synchronized Started<T> cancel() {
        cancelled = true;
        return started;
    }
}
