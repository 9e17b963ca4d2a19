package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRegularFileHasNoProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("a.csv"), "x\n");
        assertThat(InputFiles.problem(file, "a CSV file")).isEmpty();
        assertThat(InputFiles.requireReadable(file, "a CSV file")).isEqualTo(file);
    }

    @Test
    void whatCannotBeReadIsOneLineNamingTheFile() throws Exception {
        assertThat(InputFiles.problem(dir.resolve("none.csv"), "a CSV file"))
                .contains("no such file: " + dir.resolve("none.csv"));
        assertThat(InputFiles.problem(dir, "a CSV file")).contains(dir + " is a folder, not a CSV file");
        assertThat(InputFiles.problem(Path.of("/dev/zero"), "a CSV file"))
                .contains("/dev/zero is a device, FIFO or socket, not a CSV file; give a regular file");
        Path a = dir.resolve("a");
        Files.createSymbolicLink(a, dir.resolve("b"));
        Files.createSymbolicLink(dir.resolve("b"), a);
        assertThat(InputFiles.problem(a, "a CSV file")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("cannot read " + a + ": ").contains("symbolic link").doesNotContain("\n"));
        assertThatThrownBy(() -> InputFiles.requireReadable(dir, "a CSV file"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(dir + " is a folder, not a CSV file");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.csv");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        // opening a FIFO with no writer blocks: the check must not open it
        assertThat(InputFiles.problem(fifo, "a CSV file")).contains(fifo + " is a device, FIFO or socket, not a CSV "
                + "file; give a regular file");
    }
}
