package dev.verdant.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;

/**
 * What is wrong, in one line, with a path a reader is about to open: missing, a folder, a symbolic link loop, not
 * readable, or not a regular file at all. A device such as {@code /dev/zero} never ends and a FIFO blocks its reader
 * until something writes to it, so every file reader asks here before it opens anything (issue 22). Each reader
 * throws the message as its own documented exception type.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Why {@code file} cannot be read as {@code kind}, or empty when it is an existing, readable, regular file.
     *
     * @param kind what the file should be, for the message ({@code "an ONNX model"}, {@code "a .vdz file"})
     */
    public static Optional<String> problem(Path file, String kind) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.of(noSuchFile(file.toString()));
        } catch (AccessDeniedException e) {
            return Optional.of("cannot read " + file + ": permission denied");
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? "cannot read its attributes" : e.getReason();
            return Optional.of("cannot read " + file + ": " + reason.toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return Optional.of("cannot read " + file + ": " + e.getMessage());
        }
        if (attributes.isDirectory()) {
            return Optional.of(file + " is a folder, not " + kind);
        }
        if (!attributes.isRegularFile()) {
            return Optional.of(file + " is a device, FIFO or socket, not " + kind + "; give a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("cannot read " + file + ": permission denied");
        }
        return Optional.empty();
    }

    /**
     * The line for a path that names no file: "no such file", or, when the JVM could not decode its name (bytes that
     * are not UTF-8), that reason, since no file of that name can be opened from Java.
     */
    public static String noSuchFile(String path) {
        return path.indexOf(RunFiles.UNDECODABLE) >= 0 ? path + ": " + RunFiles.UNDECODABLE_NAME
                : "no such file: " + path;
    }

    /**
     * Refuses {@code file} unless it is an existing, readable, regular file.
     *
     * @throws IllegalArgumentException with {@link #problem}'s line
     */
    public static Path requireReadable(Path file, String kind) {
        problem(file, kind).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        return file;
    }
}
