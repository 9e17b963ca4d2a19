package dev.verdant.energy.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a whole file through a temporary file in the same folder and a move, so readers never see half of it.
 * (verdant-onnx has the same guarantee for models; the energy module depends on nothing else in Verdant, so it
 * keeps its own small copy of the two steps.)
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content) {
        Path absolute = target.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            Files.write(temp, content);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one reported
                }
            }
        }
    }

    /** Fails early, with the folder's name, when files cannot be created in {@code dir}. */
    static void checkWritableFolder(Path dir) {
        Path absolute = dir.toAbsolutePath();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new UncheckedIOException(new IOException("output folder " + dir + " is a file, not a folder"));
        }
        try {
            Files.createDirectories(absolute);
            Path probe = Files.createTempFile(absolute, ".verdant-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to output folder " + dir + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
