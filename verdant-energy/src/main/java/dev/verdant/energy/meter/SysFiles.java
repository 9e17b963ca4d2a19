package dev.verdant.energy.meter;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads small pseudo-files ({@code /sys}, {@code /proc}); an interface so tests can simulate what a fixture
 * tree cannot, such as a file only root may read when the tests themselves run as root.
 */
@FunctionalInterface
public interface SysFiles {

    /**
     * The real file system. A plain stream read: pseudo-files report size 0, and the sampler reads one
     * {@code /proc/PID/stat} per process each second, so the cheapest read matters.
     */
    SysFiles REAL = file -> {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.io.FileNotFoundException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Permission denied")) {
                throw new java.nio.file.AccessDeniedException(file.toString());
            }
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
    };

    /** The file's whole content. */
    String read(Path file) throws IOException;

    /** The file's content as a trimmed decimal number. */
    default long readLong(Path file) throws IOException {
        String text = read(file).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold a number: '" + text + "'", e);
        }
    }
}
