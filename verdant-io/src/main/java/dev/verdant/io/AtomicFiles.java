package dev.verdant.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole file through a temporary file in the same folder and a move, so readers never see half of it,
 * with the permissions a file written in place would have: a new file gets what the process umask gives any new
 * file (0666 &amp; ~umask, usually rw-r--r--, as {@code emissions.csv} gets), a replaced regular file keeps its
 * own. Every file Verdant writes goes through it: models, packed models, reports (HTML, JSON), forecast files,
 * the energy sinks' files and the copies of bundled samples and built-in models in Verdant's cache. A command's
 * output is never written over one of the inputs it was made from.
 */
public final class AtomicFiles {

    /** Something that writes a file's bytes to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** How long a temporary file must have gone untouched before a later write of its target removes it. */
    static final Duration STALE_PART_AGE = Duration.ofMinutes(10);

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} atomically, as {@link #write(Path, Content, Path...)} does. */
    public static void write(Path target, byte[] content, Path... inputs) {
        write(target, out -> out.write(content), inputs);
    }

    /**
     * Writes {@code target} atomically: to a temporary file beside it, then moved into place; the temporary
     * file is removed when writing fails.
     *
     * @param inputs the files the output was made from, never to be replaced by it (none for a file made from
     *               nothing the user gave)
     * @throws IllegalArgumentException when {@code target} is a folder, exists and is not a regular file (a device,
     *                                  FIFO or socket: the move would replace it), or is one of {@code inputs}
     * @throws UncheckedIOException     naming {@code target} when it cannot be written
     */
    public static void write(Path target, Content content, Path... inputs) {
        Path absolute = target.toAbsolutePath();
        for (Path input : inputs) {
            if (input != null && RunFiles.sameFile(absolute, input)) {
                throw new IllegalArgumentException("refusing to overwrite the input " + input
                        + "; choose another output path");
            }
        }
        RunFiles.requireWritableKind("output", target);
        Path temp = null;
        try {
            Files.createDirectories(absolute.getParent());
            removeStaleParts(absolute);
            temp = newSibling(absolute);
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            keepPermissionsOfReplaced(temp, absolute);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UncheckedIOException("cannot write " + target + ": no permission to write in the folder "
                    + absolute.getParent(), e);
        } catch (FileSystemException e) {
            // the temporary file's own path means nothing to the user: name the output and its folder
            boolean ownTemp = temp == null || String.valueOf(e.getFile()).equals(temp.toString());
            throw new UncheckedIOException("cannot write " + target + ": "
                    + (ownTemp ? "cannot create a file in the folder " + absolute.getParent() + " ("
                            + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + ")"
                            : e.getMessage()), e);
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

    /**
     * Removes temporary files that an earlier, killed write of the same target left behind: Verdant's own naming
     * ({@code .NAME.<random>.part}) and untouched for {@link #STALE_PART_AGE}, which no live write is (a write keeps
     * its file's modification time current). Best effort: one that cannot be removed is left.
     */
    private static void removeStaleParts(Path target) {
        String prefix = "." + target.getFileName() + ".";
        long cutoff = System.currentTimeMillis() - STALE_PART_AGE.toMillis();
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(),
                entry -> entry.getFileName().toString().startsWith(prefix)
                        && entry.getFileName().toString().endsWith(".part"))) {
            for (Path part : parts) {
                try {
                    if (Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(part).toMillis() < cutoff) {
                        Files.delete(part);
                    }
                } catch (IOException ignored) {
                    // another process removed it first, or it is not ours to remove
                }
            }
        } catch (IOException | DirectoryIteratorException ignored) {
            // an unreadable folder fails the write itself, with its own message
        }
    }

    /**
     * Creates the temporary file as any new file is created, so it gets the umask's mode; {@code
     * Files.createTempFile} would make it owner-only (rw-------), and the output would keep that after the move.
     */
    private static Path newSibling(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** A file written over an existing regular file keeps that file's permissions. */
    private static void keepPermissionsOfReplaced(Path temp, Path target) throws IOException {
        if (Files.isRegularFile(target) && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        }
    }

    /**
     * Copies {@code source} (a resource of a jar, say) to {@code target} atomically, unless {@code target} is already a
     * regular file of the source's length: how Verdant keeps one copy in its cache of what its jars carry.
     *
     * @return {@code target}
     * @throws IOException when the source cannot be read or the target written
     */
    public static Path copyIfChanged(URL source, Path target) throws IOException {
        URLConnection connection = source.openConnection();
        if (Files.isRegularFile(target) && Files.size(target) == connection.getContentLengthLong()) {
            return target;
        }
        try (InputStream in = connection.getInputStream()) {
            write(target, in::transferTo);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return target;
    }

    /** Fails early, with the folder's name, when files cannot be created in {@code dir}. */
    public static void checkWritableFolder(Path dir) {
        Path absolute = dir.toAbsolutePath();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new UncheckedIOException(new IOException("output folder " + dir + " is a file, not a folder"));
        }
        try {
            Files.createDirectories(absolute);
            RunFiles.probeWrite(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to output folder " + dir + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
