package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.onnx.ModelRef;
import dev.verdant.runtime.InputTensor;
import dev.verdant.train.zoo.Zoo;
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
