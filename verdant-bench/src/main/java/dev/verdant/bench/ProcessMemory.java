package dev.verdant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    /**
     * The resident set and its high-water mark, in bytes, from one read of the status file; empty where {@code /proc}
     * is not available. Read together, the mark is never below the set (the kernel reports the larger of its lazily
     * updated mark and the set); two separate reads can disagree after {@link #resetPeak()}, when the set grew and
     * shrank between them without the mark having been updated.
     *
     * @param residentBytes     the resident set
     * @param peakResidentBytes its high-water mark
     */
    public record Reading(long residentBytes, long peakResidentBytes) {
    }

    /** {@link #residentBytes()} and {@link #peakResidentBytes()} from one read of the status file. */
    public Optional<Reading> read() {
        List<String> lines = statusLines();
        OptionalLong resident = field(lines, "VmRSS:");
        OptionalLong peak = field(lines, "VmHWM:");
        return resident.isPresent() && peak.isPresent()
                ? Optional.of(new Reading(resident.getAsLong(), peak.getAsLong())) : Optional.empty();
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
        return field(statusLines(), name);
    }

    private List<String> statusLines() {
        try {
            return Files.readAllLines(statusFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static OptionalLong field(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                // "VmHWM:	  123456 kB": the kernel always reports kibibytes
                try {
                    return OptionalLong.of(Long.parseLong(line.substring(name.length()).replace("kB", "").strip())
                            * 1024);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
