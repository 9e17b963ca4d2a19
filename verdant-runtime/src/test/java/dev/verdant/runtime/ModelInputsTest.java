package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelInputsTest {

    /** A model that reads {@code inputs} (each {@code [batch, 8]}) and sums the first into {@code y}. */
    private static ModelProto reading(Map<String, DataType> inputs) {
        OnnxModelBuilder b = OnnxModelBuilder.create("reads");
        String first = null;
        for (Map.Entry<String, DataType> input : inputs.entrySet()) {
            String name = b.input(input.getKey(), input.getValue(), Dim.named("batch"), Dim.of(8));
            first = first == null ? name : first;
        }
        b.node("Identity").inputs(first).output("y");
        b.output("y", inputs.values().iterator().next(), Dim.named("batch"), Dim.of(8));
        return b.build();
    }

    @Test
    void theRealEncoderReadsTextAsTokenBatches() {
        ModelInputs minilm = ModelInputs.of(OnnxModels.read(BuiltinModel.MINILM.modelFile()));
        assertThat(minilm.names()).containsExactlyElementsOf(ModelInputs.TOKEN_INPUTS);
        assertThat(minilm.readsText()).isTrue();
        assertThat(minilm.readsTokenBatches()).isTrue();
        assertThat(minilm.readsOneIdTensor()).isFalse();
        assertThat(minilm.inputs().get(0).shape()).containsExactly(-1, -1);
    }

    @Test
    void idsAloneAreTextReadAsOneTensor() {
        ModelInputs ids = ModelInputs.of(reading(Map.of("input_ids", DataType.INT64)));
        assertThat(ids.readsText()).isTrue();
        assertThat(ids.readsTokenBatches()).isFalse();
        assertThat(ids.readsOneIdTensor()).isTrue();
        assertThat(ids.only().shape()).containsExactly(-1, 8);
    }

    @Test
    void valuesAndForeignInputsAreNotText() {
        ModelInputs image = ModelInputs.of(reading(Map.of("pixels", DataType.FLOAT)));
        assertThat(image.readsText()).isFalse();
        assertThat(image.readsOneIdTensor()).isFalse();
        ModelInputs mixed = ModelInputs.of(reading(new java.util.LinkedHashMap<>(Map.of("input_ids", DataType.INT64,
                "position", DataType.INT64))));
        assertThat(mixed.readsText()).isFalse();
        assertThatThrownBy(mixed::only).hasMessageContaining("has 2 inputs");
    }
}
