package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The built-in names with and without verdant-models on the class path. */
class BuiltinModelTest {

    @Test
    void withoutVerdantModelsTheErrorIsOneLineNamingTheDependency() throws IOException {
        try (URLClassLoader withoutModels = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> BuiltinModel.MINILM.modelFile(withoutModels))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageStartingWith("built-in model 'minilm' needs dev.verdant:verdant-models on the class path:"
                            + " add <dependency>dev.verdant:verdant-models:")
                    .hasMessageNotContaining("\n")
                    .hasMessageNotContaining("<verdant version>");
        }
    }

    @Test
    void theMessageNamesTheFilteredVersion() {
        assertThat(BuiltinModel.MINILM_INT8.missingModelsMessage())
                .contains("'minilm-int8'")
                .containsPattern("verdant-models:\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?</dependency>");
    }

    @Test
    void withVerdantModelsEveryNameResolvesToItsFiles() {
        assertThat(BuiltinModel.MINILM.modelFile()).isRegularFile().hasFileName("all-minilm-l6-v2.onnx");
        assertThat(BuiltinModel.MINILM_INT8.tokenizerFile()).isRegularFile().hasFileName("all-minilm-l6-v2-q-tokenizer.json");
        assertThat(BuiltinModel.E5_SMALL.modelFile()).isRegularFile().hasFileName("e5-small-v2.onnx");
        assertThat(BuiltinModel.E5_SMALL_INT8.modelFile()).isRegularFile().hasFileName("e5-small-v2-q.onnx");
        assertThat(BuiltinModel.E5_SMALL.tokenizerFile()).isRegularFile().hasFileName("e5-small-v2-tokenizer.json");
    }

    @Test
    void namesParseWithoutTheModels() {
        assertThat(BuiltinModel.byName("MiniLM-INT8")).contains(BuiltinModel.MINILM_INT8);
        assertThat(BuiltinModel.byName("resnet")).isEmpty();
        assertThat(BuiltinModel.byName("E5-Small")).contains(BuiltinModel.E5_SMALL);
        assertThat(BuiltinModel.names()).isEqualTo("minilm, minilm-int8, e5-small, e5-small-int8");
    }
}
