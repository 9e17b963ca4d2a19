package dev.verdant.energy.meter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads small pseudo-files ({@code /sys}, {@code /proc}); an interface so tests can simulate what a fixture
 * tree cannot, such as a file only root may read when the tests themselves run as root.
 */
@FunctionalInterface
public interface SysFiles {

    /** The real file system. */
    SysFiles REAL = file -> Files.readString(file, StandardCharsets.US_ASCII);

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
