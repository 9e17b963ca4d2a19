package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verdant.io.UnwritableFolder;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command registers the files it reads and writes and refuses, before any work, an output that would destroy
 * an input (the data, the tokenizer, a file of a data folder, the other output) or replace a FIFO or device.
 */
class OutputSafetyTest {

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void writeModel() {
        model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
    }

    @Test
    void compressNeverWritesOverItsDataOrTokenizer() throws Exception {
        Path csv = Files.writeString(dir.resolve("good.csv"), "text,label\nhello,1\nworld,0\n");
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertRefused(csv, "--out " + csv + ": refusing to overwrite the input " + csv,
                "compress", model.toString(), "--recipe", "int8-dynamic", "--data", csv.toString(), "--out",
                csv.toString());
        assertRefused(tokenizer, "refusing to overwrite the input " + tokenizer,
                "compress", "minilm", "--recipe", "int8-dynamic", "--tokenizer", tokenizer.toString(), "--out",
                tokenizer.toString());
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), csv);
        assertRefused(csv, "refusing to overwrite the input " + csv, "compress", model.toString(), "--recipe",
                "int8-dynamic", "--data", csv.toString(), "--out", link.toString());
    }

    @Test
    void trainNeverWritesOverAFileOfItsDataFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fms"));
        for (String name : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(Path.of("../data/fashion-mnist-sample").resolve(name), folder.resolve(name));
        }
        Path labels = folder.resolve("t10k-labels-idx1-ubyte.gz");
        assertRefused(labels, "refusing to overwrite a file of the input folder " + folder, "train", "--arch", "mlp",
                "--data", folder.toString(), "--epochs", "1", "--out", labels.toString());
    }

    @Test
    void benchRefusesItsOutputsBeforeMeasuring() throws Exception {
        Path result = dir.resolve("result.json");
        CliRun both = CliRun.of("bench", model.toString(), "-o", result.toString(), "--html", result.toString());
        assertThat(both.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(both.err().strip()).contains("are the same file").doesNotContain("\n");
        assertThat(both.err()).doesNotContain("[1/");   // no configuration was measured
        assertThat(result).doesNotExist();
        assertRefused(model, "-o " + model + ": refusing to overwrite the input", "bench", model.toString(), "-o",
                model.toString());
    }

    @Test
    void aFifoIsNeverReplacedByAnOutput() throws Exception {
        Path fifo = dir.resolve("pipe.onnx");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        for (String[] args : new String[][] {
                {"compress", model.toString(), "--recipe", "int8-dynamic", "--out", fifo.toString()},
                {"pack", model.toString(), "--out", fifo.toString()},
                {"ensemble", model.toString(), model.toString(), "--out", fifo.toString()}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(args[0]).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip()).as(args[0]).contains("is not a regular file").doesNotContain("\n");
            assertThat(Files.isRegularFile(fifo)).as(args[0]).isFalse();
        }
    }

    @Test
    void anOutputInAReadOnlyFolderIsRefusedBeforeAnyWorkNamingTheOptionAndTheFolder() throws Exception {
        try (UnwritableFolder folder = UnwritableFolder.make(dir.resolve("read-only"))) {
            Path out = folder.path().resolve("m.onnx");
            for (String[] args : new String[][] {
                    {"compress", model.toString(), "--recipe", "int8-dynamic", "--out", out.toString()},
                    {"pack", model.toString(), "--out", out.toString()},
                    {"bench", model.toString(), "--iterations", "1", "--warmup", "0", "-o", out.toString()}}) {
                CliRun run = CliRun.of(args);
                assertThat(run.exitCode()).as(args[0]).isEqualTo(ExitCode.BAD_INPUT);
                assertThat(run.err().strip()).as(args[0])
                        .contains(" " + out + ": cannot create a file in the folder " + folder.path() + " (")
                        .doesNotContain("\n").doesNotContain(".part");
                assertThat(run.out()).as(args[0] + ": refused before any work").isEmpty();
            }
        }
    }

    private void assertRefused(Path input, String message, String... args) throws Exception {
        String before = sha256(input);
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).contains(message).doesNotContain("\n");
        assertThat(sha256(input)).isEqualTo(before);
        try (var leftovers = Files.list(input.getParent())) {
            assertThat(leftovers.map(Path::toString)).noneMatch(name -> name.endsWith(".part"));
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
