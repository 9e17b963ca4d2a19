package dev.verdant.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A folder in which no file can be created, for the tests of what a run says when its output folder is read-only,
 * and restored when closed. Mode 555 stops any user but root; root, which ignores modes (CI runs as root), gets the
 * folder made immutable with {@code chattr +i}. A test skips, saying why, where neither takes effect (root on a file
 * system without the immutable flag).
 */
public final class UnwritableFolder implements AutoCloseable {

    private final Path folder;
    private final boolean immutable;

    private UnwritableFolder(Path folder, boolean immutable) {
        this.folder = folder;
        this.immutable = immutable;
    }

    /** Makes {@code folder} (created if missing) unwritable, or skips the calling test. */
    public static UnwritableFolder make(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        if (canCreateIn(folder)) {
            immutable = chattr("+i", folder);
        }
        UnwritableFolder made = new UnwritableFolder(folder, immutable);
        if (canCreateIn(folder)) {
            made.close();
            assumeTrue(false, "cannot make " + folder + " unwritable here (root, and chattr +i refused)");
        }
        return made;
    }

    /** The folder. */
    public Path path() {
        return folder;
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            try {
                chattr("-i", folder);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean canCreateIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean chattr(String flag, Path folder) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("chattr", flag, folder.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return false; // no chattr on this machine
        }
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
