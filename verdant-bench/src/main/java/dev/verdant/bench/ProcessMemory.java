package dev.verdant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: the current resident set
 * ({@code VmRSS}) and its high-water mark ({@code VmHWM}), which counts everything the process maps, ONNX Runtime's
 * native arena included. The mark can be reset (writing {@code 5} to {@code /proc/self/clear_refs}, Linux 4.0 and
 * later) so each measured configuration gets its own peak.
 *
 * @param statusFile    the status file, {@code /proc/self/status} for the real process
 * @param clearRefsFile the file whose {@code 5} resets the mark, {@code /proc/self/clear_refs}
 */
public record ProcessMemory(Path statusFile, Path clearRefsFile) {

    /** The running JVM's memory. */
    public static ProcessMemory current() {
        return new ProcessMemory(Path.of("/proc/self/status"), Path.of("/proc/self/clear_refs"));
    }

    /** The resident set now, in bytes; empty where {@code /proc} is not available. */
    public OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    /** The resident set's high-water mark since the process started or the last {@link #resetPeak()}, in bytes. */
    public OptionalLong peakResidentBytes() {
        return field("VmHWM:");
    }

    /** Resets the high-water mark to the current resident set; false when the kernel does not allow it. */
    public boolean resetPeak() {
        try {
            Files.writeString(clearRefsFile, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(statusFile, StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    // "VmHWM:	  123456 kB": the kernel always reports kibibytes
                    String digits = line.substring(name.length()).replace("kB", "").strip();
                    return OptionalLong.of(Long.parseLong(digits) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
