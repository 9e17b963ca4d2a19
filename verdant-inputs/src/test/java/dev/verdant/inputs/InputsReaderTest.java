package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.ModelInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a file or folder given to {@code --inputs} makes: which files are one example. */
class InputsReaderTest {

    private static final ModelInputs BERT = new ModelInputs(List.of(
            new ModelInputs.Input("input_ids", DataType.INT64, new long[] {-1, -1}),
            new ModelInputs.Input("attention_mask", DataType.INT64, new long[] {-1, -1})));
    private static final ModelInputs MLP = new ModelInputs(List.of(
            new ModelInputs.Input("x", DataType.FLOAT, new long[] {-1, 4})));

    @TempDir
    Path dir;

    private Path ids(Path folder, String name, long... values) throws Exception {
        Files.createDirectories(folder);
        Path file = folder.resolve(name + ".npy");
        NpyFile.write(file, values, new int[] {1, values.length});
        return file;
    }

    private Path row(Path folder, String name, float first) throws Exception {
        Files.createDirectories(folder);
        Path file = folder.resolve(name + ".npy");
        NpyFile.write(file, new float[] {first, 0, 0, 0}, new int[] {1, 4});
        return file;
    }

    @Test
    void eachSubfolderIsOneExampleOfItsNamedFiles() throws Exception {
        for (int i = 0; i < 2; i++) {
            Path sample = dir.resolve("inputs/sample-" + i);
            ids(sample, "input_ids", 101, 2000 + i, 102);
            ids(sample, "attention_mask", 1, 1, 1);
        }
        InputSamples samples = InputsReader.read(InputsSpec.of(dir.resolve("inputs")), BERT);
        assertThat(samples.samples()).extracting(InputSample::source)
                .containsExactly(dir.resolve("inputs/sample-0").toString(), dir.resolve("inputs/sample-1").toString());
        assertThat(samples.samples().get(1).steps().get(0).get("input_ids").longs()).containsExactly(101, 2001, 102);
        assertThat(samples.description()).isEqualTo("2 examples from " + dir.resolve("inputs"));
    }

    @Test
    void aFolderOfFilesNamedAfterSeveralInputsIsOneExample() throws Exception {
        Path folder = dir.resolve("one");
        ids(folder, "input_ids", 101, 102);
        ids(folder, "attention_mask", 1, 1);
        InputSamples samples = InputsReader.read(InputsSpec.of(folder), BERT);
        assertThat(samples.samples()).hasSize(1);
        assertThat(samples.samples().get(0).steps().get(0)).containsOnlyKeys("input_ids", "attention_mask");
    }

    @Test
    void otherwiseEachFileIsOneExampleInNameOrderUpToTheLimit() throws Exception {
        Path folder = dir.resolve("rows");
        for (int i = 0; i < 5; i++) {
            row(folder, "row-" + i, i);
        }
        Files.writeString(folder.resolve("README.txt"), "not an input");
        Files.writeString(folder.resolve(".hidden.npy"), "not read");
        InputSamples all = InputsReader.read(InputsSpec.of(folder), MLP);
        assertThat(all.samples()).hasSize(5);
        assertThat(all.samples().get(3).steps().get(0).get("x").floats()[0]).isEqualTo(3f);
        assertThat(all.description()).isEqualTo("5 examples from " + folder + " (5 npy)");
        assertThat(InputsReader.read(InputsSpec.of(folder).withMaxSamples(2), MLP).samples()).hasSize(2);
    }

    @Test
    void theTestDataLayoutIsOneExampleASetInNumberOrder() throws Exception {
        for (int n : new int[] {10, 2}) {
            Path set = Files.createDirectories(dir.resolve("model/test_data_set_" + n));
            Files.write(set.resolve("input_0.pb"), Tensors.ofFloats("x", new long[] {1, 4}, new float[] {n, 0, 0, 0})
                    .toByteArray());
            Files.write(set.resolve("output_0.pb"), Tensors.ofFloats("y", new long[] {1}, new float[] {0})
                    .toByteArray());
        }
        InputSamples samples = InputsReader.read(InputsSpec.of(dir.resolve("model")), MLP);
        assertThat(samples.samples()).extracting(s -> s.steps().get(0).get("x").floats()[0]).containsExactly(2f, 10f);
    }

    @Test
    void whatCannotBeReadIsOneLine() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(empty), MLP)).hasMessageStartingWith(empty
                + " holds no input file (.npy, .npz, .pb, .wav or an image: ");
        Path nested = Files.createDirectories(dir.resolve("nested/sample-0"));
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(dir.resolve("nested")), MLP)).hasMessage(nested
                + " holds no .npy, .npz or .pb file; each folder of " + dir.resolve("nested") + " is one example of "
                + "the model's inputs");
        Path text = Files.writeString(dir.resolve("rows.csv"), "1,2,3,4");
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(text), MLP)).hasMessage(text + " is not an input "
                + "file Verdant reads (.npy, .npz, .pb, .wav or an image)");
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(dir.resolve("gone")), MLP)).hasMessage("no such "
                + "file: " + dir.resolve("gone"));
        Path one = row(dir, "one", 1);
        InputsSpec unknownFill = new InputsSpec(one, ImagePreprocessing.parse(null), 16000, 0,
                List.of(Fill.parse("mask=1")), Set.of(), 0);
        assertThatThrownBy(() -> InputsReader.read(unknownFill, MLP)).hasMessage("--fill mask: the model has no "
                + "input 'mask'; its inputs are [x]");
        Path png = dir.resolve("a.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", png.toFile());
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(png), BERT)).hasMessage(png + " is an image, which "
                + "feeds one model input, but 2 inputs [input_ids, attention_mask] have no --fill; give the others "
                + "with --fill NAME=VALUE");
    }
}
