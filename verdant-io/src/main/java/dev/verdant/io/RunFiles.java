package dev.verdant.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files one run reads and the files it will write, registered before any work so that a bad output is refused
 * up front with one line: an output that is an input (by path, symbolic link or hard link: the file system's own
 * identity of a file decides), an existing file inside an input folder, an existing output that is not a regular
 * file (a device such as {@code /dev/null}, a FIFO, a socket or a folder), or two outputs that are one file.
 *
 * <p>Build one with {@link #none()}, {@link #reading} and {@link #writing}, then {@link #check()} it; pass
 * {@link #inputs()} to {@link AtomicFiles#write} so the last guard at the write sees the same inputs.
 *
 * @param inputs  the files and folders the run reads
 * @param outputs the files the run writes, each with the option that named it
 */
public record RunFiles(List<Path> inputs, List<Output> outputs) {

    /**
     * One output and where it was named.
     *
     * @param option the option or argument that names it, for messages ({@code --out})
     * @param path   the file to write
     */
    public record Output(String option, Path path) {
        public Output {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * What the JVM puts in a path for bytes of a name that are not valid in its file-name encoding (UTF-8): such a
     * name cannot be opened, and a file written under it would get another name than the one typed.
     */
    public static final char UNDECODABLE = '\uFFFD';

    /** Why a path holding {@link #UNDECODABLE} is refused, for messages. */
    public static final String UNDECODABLE_NAME = "the path holds bytes that are not valid UTF-8 (shown as "
            + UNDECODABLE + "), which Java cannot name; rename it or give a UTF-8 path";

    public RunFiles {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** No file read or written yet. */
    public static RunFiles none() {
        return new RunFiles(List.of(), List.of());
    }

    /** These files and folders also are read; null entries (options not given) are passed over. */
    public RunFiles reading(Path... paths) {
        List<Path> more = new ArrayList<>(inputs);
        for (Path path : paths) {
            if (path != null) {
                more.add(path);
            }
        }
        return new RunFiles(more, outputs);
    }

    /** {@code path}, named by {@code option}, will be written; a null path (an option not given) is passed over. */
    public RunFiles writing(String option, Path path) {
        if (path == null) {
            return this;
        }
        List<Output> more = new ArrayList<>(outputs);
        more.add(new Output(option, path));
        return new RunFiles(inputs, more);
    }

    /** The inputs, for {@link AtomicFiles#write}. */
    public Path[] inputArray() {
        return inputs.toArray(Path[]::new);
    }

    /**
     * Refuses, with one line naming the option and the file, any output that would destroy an input or replace
     * something that is not a regular file, and two outputs that are one file.
     *
     * @return this, for chaining
     * @throws IllegalArgumentException naming the first conflict found
     */
    public RunFiles check() {
        for (int i = 0; i < outputs.size(); i++) {
            Output output = outputs.get(i);
            Path target = output.path();
            requireWritableKind(output.option(), target);
            requireCreatableIn(output.option(), target);
            for (Path input : inputs) {
                if (sameFile(target, input)) {
                    throw new IllegalArgumentException(output.option() + " " + target + ": refusing to overwrite the "
                            + "input " + input + "; choose another output path");
                }
                if (Files.isDirectory(input) && Files.exists(target) && inside(target, input)) {
                    throw new IllegalArgumentException(output.option() + " " + target + ": refusing to overwrite a "
                            + "file of the input folder " + input + "; choose another output path");
                }
            }
            for (int j = 0; j < i; j++) {
                Output earlier = outputs.get(j);
                if (sameFile(target, earlier.path())) {
                    throw new IllegalArgumentException(output.option() + " " + target + " and " + earlier.option()
                            + " " + earlier.path() + " are the same file; give each output its own path");
                }
            }
        }
        return this;
    }

    /**
     * Refuses an existing {@code target} that is not a regular file: writing through a temporary file and a move
     * would replace a device, FIFO or socket with a regular file, and cannot replace a folder; and a path whose name
     * the JVM could not decode, which would be written under another name.
     *
     * @param option the option that names it, for the message
     * @throws IllegalArgumentException naming the option and the file
     */
    public static void requireWritableKind(String option, Path target) {
        if (target.toString().indexOf(UNDECODABLE) >= 0) {
            throw new IllegalArgumentException(option + " " + target + ": " + UNDECODABLE_NAME);
        }
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + target + " is a folder; give a file path");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IllegalArgumentException(option + " " + target + " exists and is not a regular file (a device, "
                    + "FIFO or socket); refusing to replace it, give a file path");
        }
    }

    /**
     * Refuses, before any work, an output whose folder cannot take a new file (read-only, immutable, owned by another
     * user): the atomic write creates a temporary file beside the output, so the folder (or, when it does not exist
     * yet, the nearest folder above it that does, where it will be made) is probed with one such file, removed at
     * once.
     *
     * @throws IllegalArgumentException naming the option, the file and the folder
     */
    static void requireCreatableIn(String option, Path target) {
        Path folder = target.toAbsolutePath().normalize().getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + " " + target + ": " + (folder == null ? "no folder above it "
                    + "exists" : folder + " is not a folder") + "; give a path in a folder");
        }
        try {
            probeWrite(folder);
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : e.getClass().getSimpleName();
            throw new IllegalArgumentException(option + " " + target + ": cannot create a file in the folder "
                    + folder + " (" + reason + ")", e);
        }
    }

    /** Creates one temporary file in {@code folder} and removes it: whether a write there can start at all. */
    static void probeWrite(Path folder) throws IOException {
        Files.delete(Files.createTempFile(folder, ".verdant-write-check", ".tmp"));
    }

    /** Whether two paths name one file: the same file key when both exist (links included), else the same path. */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // unreadable attributes: fall back to comparing the paths
        }
        return canonical(a).equals(canonical(b));
    }

    private static boolean inside(Path file, Path folder) {
        return canonical(file).startsWith(canonical(folder));
    }

    /** The real path where it exists (links resolved), else the absolute normalized path. */
    private static Path canonical(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            Path absolute = path.toAbsolutePath().normalize();
            Path parent = absolute.getParent();
            if (parent != null && Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return parent.toRealPath().resolve(absolute.getFileName());
                } catch (IOException ignored) {
                    // fall through to the plain path
                }
            }
            return absolute;
        }
    }
}
