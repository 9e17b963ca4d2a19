package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.InputTensor;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples compress checks on, for data without predefined train and test parts (the bundled Fashion-MNIST
 * sample, one part of 1,000 images): the held-out
 * part of the same seeded split {@code verdant train} and the retraining steps use, so that a check never scores a
 * model on examples it (or its base) trained on.
 */
class EvaluationDataTest {

    private static final String DATA = "fashion-mnist-sample";

    @Test
    void dataWithoutPredefinedPartsIsCheckedOnTheHeldOutPartOfTheSeededSplit(@TempDir Path dir) {
        DataSource<ImageDataset> source = Datasets.images(Datasets.resolve(DATA), DATA);
        assertThat(source.parts()).as("the sample has no training part").doesNotContain(dev.verdant.data.Part.TRAIN);
        ModelProto model = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();
        dev.verdant.onnx.OnnxModels.write(model, dir.resolve("model.onnx"));
        ModelRef ref = ModelRef.ofFile(dir.resolve("model.onnx"));
        for (long seed : new long[] {1, 2}) {
            CompressionRequest request = CompressionRequest.builder(ref, dir.resolve("out.onnx"),
                    Recipe.parse("share:4bit")).optData(DATA).optExamples(64, 10_000).optSeed(seed).build();
            EvaluationData data = EvaluationData.load(model, DATA, ref, request)
                    .orElseThrow();
            Split<ImageDataset> split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, seed);
            ImageDataset heldOut = split.heldOut();
            // every held-out example, in order, and nothing else: not one of the training part's
            assertThat(data.labels()).containsExactly(heldOut.labels());
            assertThat(floats(data.check())).containsExactly(heldOut.features());
            assertThat(heldOut.size()).isLessThan(split.train().size());
            // calibration reads the training part, never the check's examples
            float[] calibration = floats(data.calibration());
            assertThat(calibration).containsExactly(Arrays.copyOf(split.train().features(), calibration.length));
        }
    }

    /**
     * Without {@code --check}, labelled rows are checked on their whole held-out part, not on the 256 examples that
     * give a 95% interval of about 2 points: about 400 of a 2,000-row table (its stratified held-out fifth); a given
     * count still caps it.
     */
    @Test
    void theDefaultCheckIsTheWholeHeldOutPart(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int row = 0; row < 2_000; row++) {
            csv.append(row % 7).append(',').append(row % 11).append(',').append(row % 3).append('\n');
        }
        Path table = Files.writeString(dir.resolve("rows.csv"), csv);
        OnnxModelBuilder b = OnnxModelBuilder.create("linear");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(2));
        String w = b.initializer("w", new long[] {2, 3}, new float[] {1, 0, -1, 0, 1, -1});
        b.output(b.node("MatMul").inputs(x, w).output("y"), DataType.FLOAT, Dim.named("N"), Dim.of(3));
        ModelProto model = b.build();
        dev.verdant.onnx.OnnxModels.write(model, dir.resolve("model.onnx"));
        ModelRef ref = ModelRef.ofFile(dir.resolve("model.onnx"));
        CompressionRequest.Builder request = CompressionRequest.builder(ref, dir.resolve("out.onnx"),
                Recipe.parse("int8-dynamic")).optData(table.toString());

        int heldOut = Datasets.resolve(table.toString()).trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, 1)
                .heldOut().size();
        assertThat(heldOut).isGreaterThan(CompressionRequest.FEW_CHECK);
        EvaluationData whole = EvaluationData.load(model, table.toString(), ref, request.build()).orElseThrow();
        assertThat(whole.labels()).hasSize(heldOut);
        assertThat(whole.description()).endsWith("64 calibration + " + heldOut + " check examples");
        EvaluationData capped = EvaluationData.load(model, table.toString(), ref,
                request.optExamples(64, 300).build()).orElseThrow();
        assertThat(capped.labels()).hasSize(300);
    }

    /** The default check's size by example: all of Fashion-MNIST's test part, never under 256, at most 64 MiB. */
    @Test
    void theDefaultHeldOutCheckIsBoundedByCountAndMemory() {
        assertThat(EvaluationData.defaultHeldOutCheck(new long[] {1, 28, 28})).isEqualTo(10_000);
        assertThat(EvaluationData.defaultHeldOutCheck(new long[] {3, 64, 64})).isEqualTo(1_365);
        assertThat(EvaluationData.defaultHeldOutCheck(new long[] {3, 224, 224})).isEqualTo(256);
    }

    private static float[] floats(java.util.List<CalibrationSample> batches) {
        int total = batches.stream().mapToInt(b -> only(b).floats().length).sum();
        float[] all = new float[total];
        int next = 0;
        for (CalibrationSample batch : batches) {
            float[] values = only(batch).floats();
            System.arraycopy(values, 0, all, next, values.length);
            next += values.length;
        }
        return all;
    }

    private static InputTensor only(CalibrationSample batch) {
        assertThat(batch.inputs()).hasSize(1);
        return batch.inputs().values().iterator().next();
    }
}
