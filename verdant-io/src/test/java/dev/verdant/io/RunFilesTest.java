package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are checked against every input and against what already stands at their path, before any work. */
class RunFilesTest {

    @TempDir
    Path dir;

    @Test
    void anOutputThatIsAnInputByPathSymlinkOrHardLinkIsRefused() throws IOException {
        Path data = Files.writeString(dir.resolve("good.csv"), "a,b\n1,2\n");
        Path symlink = Files.createSymbolicLink(dir.resolve("link.csv"), data);
        Path hardLink = Files.createLink(dir.resolve("hard.csv"), data);
        for (Path out : new Path[] {data, dir.resolve("sub/../good.csv"), symlink, hardLink}) {
            RunFiles files = RunFiles.none().reading(dir.resolve("model.onnx"), data).writing("--out", out);
            assertThatThrownBy(files::check).as(out.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--out " + out + ": refusing to overwrite the input " + data).hasMessageNotContaining("\n");
        }
        assertThat(data).hasContent("a,b\n1,2\n");
    }

    @Test
    void anOutputInAFolderThatCannotTakeAFileIsRefusedNamingTheFolder() throws Exception {
        try (UnwritableFolder folder = UnwritableFolder.make(dir.resolve("read-only"))) {
            Path out = folder.path().resolve("m.onnx");
            Path deeper = folder.path().resolve("new/sub/m.onnx");
            for (Path target : new Path[] {out, deeper}) {
                assertThatThrownBy(() -> RunFiles.none().writing("--out", target).check()).as(target.toString())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("--out " + target + ": cannot create a file in the folder "
                                + folder.path() + " (")
                        .hasMessageNotContaining("\n");
            }
            try (var left = Files.list(folder.path())) {
                assertThat(left).as("the probe leaves nothing").isEmpty();
            }
        }
        RunFiles.none().writing("--out", dir.resolve("new/sub/m.onnx")).check();
        assertThat(dir.resolve("new")).as("checking creates no folder").doesNotExist();
    }

    @Test
    void anExistingFileInsideAnInputFolderIsRefusedButANewOneIsNot() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fms"));
        Path labels = Files.writeString(folder.resolve("t10k-labels-idx1-ubyte.gz"), "labels");
        assertThatThrownBy(() -> RunFiles.none().reading(folder).writing("--out", labels).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to overwrite a file of the input folder " + folder);
        RunFiles.none().reading(folder).writing("--out", folder.resolve("model.onnx")).check();
    }

    @Test
    void aDeviceAFifoOrAFolderIsNeverAnOutput() throws Exception {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull));
        assertThatThrownBy(() -> RunFiles.none().writing("--out", devNull).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--out /dev/null exists and is not a regular file (a device, FIFO or socket); refusing to "
                        + "replace it, give a file path");
        assertThatThrownBy(() -> RunFiles.none().writing("-o", dir).check())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("-o " + dir + " is a folder; give a file path");
        Path fifo = dir.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        assertThatThrownBy(() -> AtomicFiles.write(fifo, "x".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a regular file");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }

    @Test
    void twoOutputsThatAreOneFileAreRefused() {
        Path report = dir.resolve("result.json");
        assertThatThrownBy(() -> RunFiles.none().writing("-o", report).writing("--html", dir.resolve("./result.json"))
                .check()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--html " + dir.resolve("./result.json") + " and -o " + report
                        + " are the same file");
    }

    @Test
    void optionsNotGivenAreNoFiles() {
        RunFiles files = RunFiles.none().reading((Path) null).writing("--html", null).check();
        assertThat(files.inputs()).isEmpty();
        assertThat(files.outputs()).isEmpty();
    }
}
