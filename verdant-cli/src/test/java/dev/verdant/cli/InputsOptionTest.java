package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --inputs} through the command line: a CNN compressed and benchmarked on a folder of ONNX TensorProto files
 * holding real Fashion-MNIST images, and bad inputs as one line and exit 2.
 */
class InputsOptionTest {

    @TempDir
    Path dir;

    Path model;
    Path folder;
    String input;

    @BeforeEach
    void lenetAndEightRealImages() throws Exception {
        model = dir.resolve("lenet5.onnx");
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 1).build();
        OnnxModels.write(lenet, model);
        input = ModelInputs.of(lenet).only().name();
        ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        folder = Files.createDirectories(dir.resolve("inputs"));
        for (int i = 0; i < 8; i++) {
            Files.write(folder.resolve("item-" + i + ".pb"),
                    Tensors.ofFloats(input, new long[] {1, 1, 28, 28}, images.image(i)).toByteArray());
        }
    }

    @Test
    void compressCalibratesOnHalfTheFilesAndChecksOnTheRest() {
        Path out = dir.resolve("lenet5-int8.onnx");
        CliRun run = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--inputs", folder.toString(),
                "--out", out.toString(), "--rounds", "1", "--no-energy");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("over 4 examples");
        assertThat(OnnxGraph.of(OnnxModels.read(out)).metadata().get("verdant.compress.data"))
                .isEqualTo("8 examples from " + folder + " (8 tensor proto): 4 calibration + 4 check examples");
    }

    @Test
    void benchMeasuresOnTheFiles() {
        CliRun run = CliRun.of("bench", model.toString(), "--inputs", folder.toString(), "--batch", "1,4",
                "--iterations", "4", "--warmup", "1", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("8 examples from " + folder);
    }

    @Test
    void optimizeMeasuresAndJudgesCandidatesOnTheFilesByTheirOutputs() throws Exception {
        Path work = dir.resolve("work");
        CliRun run = CliRun.of("optimize", model.toString(), "--inputs", folder.toString(), "--work", work.toString(),
                "--max-candidates", "1", "--threads", "1", "--measure-time", "1s", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        // no labels: every output is held to its kind's default (the logits' argmax agreement), as verdant-quality says
        assertThat(run.out()).contains("every output within its kind's default tolerance")
                .contains("8 examples from " + folder);
        assertThat(work.resolve("best.onnx")).exists();

        CliRun accuracy = CliRun.of("optimize", model.toString(), "--inputs", folder.toString(), "--work",
                dir.resolve("work2").toString(), "--max-accuracy-drop", "1%");
        assertThat(accuracy.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(accuracy.err().strip()).isEqualTo("verdant: --max-accuracy-drop needs labelled --data; --inputs "
                + "has no labels (give --min-fidelity)");
    }

    @Test
    void aFileThatDoesNotFitTheModelIsOneLineNamingBothAndExit2() throws Exception {
        Path bad = folder.resolve("item-9.pb");
        Files.write(bad, Tensors.ofFloats(input, new long[] {1, 1, 28, 27}, new float[28 * 27]).toByteArray());
        Path out = dir.resolve("never.onnx");
        CliRun run = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--inputs", folder.toString(),
                "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("verdant: " + bad + " (float [1, 1, 28, 27]) does not fit model "
                + "input '" + input + "' (float [?, 1, 28, 28]): dim 3 is 27, the model fixes it at 28");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFileThatIsNotATensorAndOptionsWithoutInputsAreOneLineAndExit2() throws Exception {
        Path garbage = Files.writeString(folder.resolve("item-10.pb"), "\u00ff\u00ffnot protobuf");
        CliRun run = CliRun.of("bench", model.toString(), "--inputs", folder.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).startsWith("verdant: " + garbage + " is not an ONNX TensorProto")
                .doesNotContain("\n");

        CliRun fill = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--fill", "x=1", "--out",
                dir.resolve("o.onnx").toString());
        assertThat(fill.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(fill.err().strip()).isEqualTo("verdant: --preprocess, --frame and --fill shape the files of "
                + "--inputs; give --inputs");

        CliRun both = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--inputs", folder.toString(),
                "--data", "fashion-mnist-sample", "--out", dir.resolve("o.onnx").toString());
        assertThat(both.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(both.err().strip()).doesNotContain("\n");
    }
}
