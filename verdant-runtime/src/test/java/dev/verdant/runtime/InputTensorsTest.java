package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.data.TabularDataset;
import dev.verdant.onnx.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InputTensorsTest {

    private static final ImageDataset SAMPLE = Datasets.resolveImages("fashion-mnist-sample").loadAll();

    @Test
    void tensorsHoldTheBatchValuesInEitherShape() {
        Batch batch = SAMPLE.batch(16, 20);
        InputTensor cnn = InputTensors.values(batch,
                new ModelInputs.Input("x", DataType.FLOAT, new long[] {-1, 1, 28, 28}));
        InputTensor mlp = InputTensors.values(batch, new ModelInputs.Input("x", DataType.FLOAT, new long[] {-1, 784}));
        assertThat(cnn.shape()).containsExactly(4, 1, 28, 28);
        assertThat(mlp.shape()).containsExactly(4, 784);
        assertThat(cnn.floats()).containsExactly(mlp.floats());
        assertThat(Arrays.copyOfRange(cnn.floats(), 2 * 784, 3 * 784)).containsExactly(SAMPLE.image(18));
        // pixel (row 14, column 9) of the batch's second image, read through the 4-D view
        assertThat(cnn.floats()[784 + 14 * 28 + 9]).isEqualTo(SAMPLE.image(17)[14 * 28 + 9]);
    }

    /** A real ONNX model (the Flatten operator test of the ONNX suite) run on a batch shaped for its input. */
    @Test
    void batchRunsThroughARealModelByItsInputInfo() {
        SystemDataAssumptions.assumeInstalled(SystemData.ONNX_NODE_TESTS);
        Path model = SystemData.ONNX_NODE_TESTS.path().resolve("test_flatten_axis1/model.onnx");
        try (OrtRunner runner = OrtRunner.open(model, SessionSpec.threads(1), "flatten")) {
            ModelInputs.Input input = runner.inputs().only();
            assertThat(input.shape()).containsExactly(2, 3, 4, 5);
            // 2 rows of 60 features whose values are their flat positions
            float[] features = new float[120];
            IntStream.range(0, 120).forEach(i -> features[i] = i);
            TabularDataset rows = new TabularDataset("rows", features,
                    IntStream.range(0, 60).mapToObj(i -> "f" + i).toList(), new int[] {0, 1}, List.of("a", "b"));
            Batch batch = rows.batch(0, 2);

            InputTensor tensor = InputTensors.values(batch, input);
            assertThat(tensor.shape()).containsExactly(2, 3, 4, 5);
            OrtRunner.Output output = runner.firstOutput(Map.of(input.name(), tensor));
            assertThat(Arrays.copyOfRange(output.values(), 60, 120)).containsExactly(rows.sample(1));
            Batch three = new Batch(0, new float[180], new int[3], new long[] {60});
            assertThatThrownBy(() -> InputTensors.values(three, input))
                    .hasMessageStartingWith("input '" + input.name() + "': ")
                    .hasMessageContaining("fixed batch size of 2");
        }
    }
}
