package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private long filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.json"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("out.json").hasMessageContaining("disk full");
        assertThat(target).hasContent("old");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void aReplacedFileKeepsItsPermissionsAndNewFoldersAreMade() throws IOException {
        Path target = Files.writeString(dir.resolve("kept.csv"), "a");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(target, "b".getBytes());
        assertThat(target).hasContent("b");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");

        Path nested = dir.resolve("a/b/c.txt");
        AtomicFiles.write(nested, "c".getBytes());
        assertThat(nested).hasContent("c");
    }

    @Test
    void aCopyIsMadeOnceAndRemadeWhenItsLengthDiffers() throws IOException {
        Path source = Files.writeString(dir.resolve("source.bin"), "0123456789");
        Path copy = dir.resolve("cache/copy.bin");
        assertThat(AtomicFiles.copyIfChanged(source.toUri().toURL(), copy)).hasContent("0123456789");

        // same length: the copy is taken as it is (a cache keyed by size, as the jars' resources never change)
        Files.writeString(copy, "abcdefghij");
        AtomicFiles.copyIfChanged(source.toUri().toURL(), copy);
        assertThat(copy).hasContent("abcdefghij");

        Files.writeString(copy, "short");
        AtomicFiles.copyIfChanged(source.toUri().toURL(), copy);
        assertThat(copy).hasContent("0123456789");
        assertThat(filesIn(copy.getParent())).isEqualTo(1);

        assertThatThrownBy(() -> AtomicFiles.copyIfChanged(dir.resolve("missing").toUri().toURL(), copy))
                .isInstanceOf(IOException.class);
    }

    @Test
    void outputsGetTheModeAnyNewFileGetsUnderTheUmask() throws IOException {
        Path target = dir.resolve("report.html");
        AtomicFiles.write(target, out -> out.write(new byte[] {1}));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)))
                .isNotEqualTo("rw-------");
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path target = dir.resolve("model.onnx");
        Files.write(target, new byte[] {0});
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(target, out -> out.write(new byte[] {1}));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-rw----");
        assertThat(Files.readAllBytes(target)).containsExactly(1);
    }

    @Test
    void failedWriteLeavesNoPartialFile() throws IOException {
        Path target = dir.resolve("out.onnx");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anOutputNeverReplacesAnInputNorAFolder() throws IOException {
        Path input = Files.writeString(dir.resolve("in.onnx"), "model");
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve(".").resolve("in.onnx"), "x".getBytes(), input))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to overwrite");
        assertThat(input).hasContent("model");
        assertThatThrownBy(() -> AtomicFiles.write(dir, "x".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a folder");
    }

    @Test
    void aWriteIntoAReadOnlyFolderNamesTheOutputAndTheFolderNotTheTemporaryFile() throws Exception {
        try (UnwritableFolder folder = UnwritableFolder.make(dir.resolve("read-only"))) {
            Path target = folder.path().resolve("m.onnx");
            assertThatThrownBy(() -> AtomicFiles.write(target, "x".getBytes()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("cannot write " + target + ": ")
                    .hasMessageContaining("folder " + folder.path()).hasMessageNotContaining(".part");
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void aPartFileAKilledWriteLeftIsRemovedByTheNextWriteButALiveOneIsNot() throws IOException {
        Path target = dir.resolve("model.onnx");
        Path stale = Files.writeString(dir.resolve(".model.onnx.abc123.part"), "half a model");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - AtomicFiles.STALE_PART_AGE.toMillis() - 60_000));
        Path live = Files.writeString(dir.resolve(".model.onnx.def456.part"), "being written");
        Path other = Files.writeString(dir.resolve(".other.onnx.abc123.part"), "another target's");
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(stale));
        AtomicFiles.write(target, "model".getBytes());
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
        assertThat(target).hasContent("model");
    }
}
