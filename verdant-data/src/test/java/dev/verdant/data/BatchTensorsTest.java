package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchTensorsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final ImageDataset SAMPLE = Datasets.resolveImages("fashion-mnist-sample").loadAll();

    @Test
    void shapeFollowsTheModelInput() {
        long[] image = {1, 28, 28};
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 1, 28, 28})).containsExactly(8, 1, 28, 28);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 784})).containsExactly(8, 784);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, -1})).containsExactly(8, 784);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 1, -1, -1})).containsExactly(8, 1, 28, 28);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {8, 28, 28})).containsExactly(8, 28, 28);
        assertThat(BatchTensors.inputShape(new long[] {784}, 2, new long[] {-1, 1, 28, 28})).containsExactly(2, 1, 28, 28);
    }

    @Test
    void shapesThatCannotHoldTheSampleAreRejectedNamingBoth() {
        long[] image = {1, 28, 28};
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 8, new long[] {-1, 3, 32, 32}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model input [?,3,32,32] takes 3072 values per sample, but the data's samples are "
                        + "[1,28,28] (784 values)");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {4, 784}))
                .hasMessageContaining("fixed batch size of 4, but the batch holds 5 samples");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {-1, -1, -1}))
                .hasMessageContaining("more than one dynamic dimension");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {-1, 100, -1}))
                .hasMessageContaining("takes");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[0])).hasMessageContaining("scalar");
    }

    @Test
    void tensorsHoldTheBatchValuesInEitherShape() throws OrtException {
        Batch batch = SAMPLE.batch(16, 20);
        try (OnnxTensor cnn = BatchTensors.toTensor(ENV, batch, new long[] {-1, 1, 28, 28});
             OnnxTensor mlp = BatchTensors.toTensor(ENV, batch, new long[] {-1, 784})) {
            assertThat(cnn.getInfo().getShape()).containsExactly(4, 1, 28, 28);
            assertThat(mlp.getInfo().getShape()).containsExactly(4, 784);
            float[] cnnValues = values(cnn);
            assertThat(cnnValues).containsExactly(values(mlp));
            assertThat(java.util.Arrays.copyOfRange(cnnValues, 2 * 784, 3 * 784)).containsExactly(SAMPLE.image(18));
            float[][][][] nested = (float[][][][]) cnn.getValue();
            // pixel (row 14, column 9) of the batch's second image, read through the 4-D view
            assertThat(nested[1][0][14][9]).isEqualTo(SAMPLE.image(17)[14 * 28 + 9]);
        }
    }

    /** A real ONNX model (the Flatten operator test of the ONNX suite) run on a batch shaped for its input. */
    @Test
    void batchRunsThroughARealModelByItsInputInfo() throws OrtException {
        SystemDataAssumptions.assumeInstalled(SystemData.ONNX_NODE_TESTS);
        Path model = SystemData.ONNX_NODE_TESTS.path().resolve("test_flatten_axis1/model.onnx");
        try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions())) {
            TensorInfo input = (TensorInfo) session.getInputInfo().values().iterator().next().getInfo();
            assertThat(input.getShape()).containsExactly(2, 3, 4, 5);
            // 2 rows of 60 features whose values are their flat positions
            float[] features = new float[120];
            IntStream.range(0, 120).forEach(i -> features[i] = i);
            TabularDataset rows = new TabularDataset("rows", features,
                    IntStream.range(0, 60).mapToObj(i -> "f" + i).toList(), new int[] {0, 1}, List.of("a", "b"));
            Batch batch = rows.batch(0, 2);

            try (OnnxTensor tensor = BatchTensors.toTensor(ENV, batch, session);
                 OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
                assertThat(tensor.getInfo().getShape()).containsExactly(2, 3, 4, 5);
                OnnxValue output = result.get(0);
                float[][] flat = (float[][]) output.getValue();
                assertThat(flat[1]).containsExactly(rows.sample(1));
            }
            Batch three = new Batch(0, new float[180], new int[3], new long[] {60});
            assertThatThrownBy(() -> BatchTensors.toTensor(ENV, three, session))
                    .hasMessageStartingWith("input '" + session.getInputNames().iterator().next() + "': ")
                    .hasMessageContaining("fixed batch size of 2");
        }
    }

    private static float[] values(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
