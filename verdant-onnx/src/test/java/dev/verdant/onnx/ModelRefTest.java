package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model is resolved once: its file, and the tokenizer given or the built-in model's own. */
class ModelRefTest {

    @Test
    void aBuiltinNameBringsItsFileAndTokenizer() {
        ModelRef ref = ModelRef.resolve("minilm", null);
        assertThat(ref.name()).isEqualTo("minilm");
        assertThat(ref.file()).isEqualTo(BuiltinModel.MINILM.modelFile());
        assertThat(ref.tokenizer()).contains(BuiltinModel.MINILM.tokenizerFile());
        assertThat(ref.requireTokenizer()).isRegularFile();
    }

    @Test
    void aGivenTokenizerWinsOverTheBuiltinOne(@TempDir Path dir) throws Exception {
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertThat(ModelRef.resolve("minilm", tokenizer).tokenizer()).contains(tokenizer);
    }

    @Test
    void aFileOfABuiltinNameIsTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("minilm"), "not read yet");
        ModelRef ref = ModelRef.resolve(file.toString(), null);
        assertThat(ref.file()).isEqualTo(file);
        assertThat(ref.tokenizer()).isEmpty();
        assertThatThrownBy(ref::requireTokenizer).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model is a text encoder: pass its tokenizer.json with --tokenizer");
        assertThatThrownBy(ref::read).isInstanceOf(ModelFormatException.class).hasMessageNotContaining("\n");
    }

    @Test
    void aMissingModelOrTokenizerIsOneLineNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelRef.resolve(dir.resolve("none.onnx").toString(), null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("no such model file: " + dir.resolve("none.onnx"))
                .hasMessageContaining("built-in models: minilm");
        assertThatThrownBy(() -> ModelRef.resolve("minilm", dir.resolve("none.json")))
                .isInstanceOf(ModelFormatException.class).hasMessage("--tokenizer: no such file: " + dir.resolve("none.json"));
        assertThatThrownBy(() -> ModelRef.resolve("minilm", dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage("--tokenizer: " + dir + " is a folder, not a tokenizer.json");
    }
}
