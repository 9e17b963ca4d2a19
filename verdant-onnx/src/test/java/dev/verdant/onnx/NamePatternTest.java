package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamePatternTest {

    @Test
    void globsMatchWholeNamesAndTakeEveryOtherCharacterLiterally() {
        NamePattern layer = NamePattern.of("/encoder/layer.5/output/*");
        assertThat(layer.matches("/encoder/layer.5/output/dense/MatMul")).isTrue();
        // '.' is a dot, not any character, and the match is of the whole name
        assertThat(layer.matches("/encoder/layerX5/output/dense/MatMul")).isFalse();
        assertThat(layer.matches("prefix/encoder/layer.5/output/x")).isFalse();
        assertThat(NamePattern.of("conv?.weight").matches("conv2.weight")).isTrue();
        assertThat(NamePattern.of("conv?.weight").matches("conv12.weight")).isFalse();
        assertThat(NamePattern.of("glob:fc*").matches("fc1.bias")).isTrue();
        assertThat(NamePattern.of("(a)+").matches("(a)+")).isTrue();
    }

    @Test
    void regexPatternsAreRegularExpressionsAndABadOneIsNamed() {
        assertThat(NamePattern.of("regex:fc[12]\\.(weight|bias)").matches("fc2.bias")).isTrue();
        assertThat(NamePattern.of("regex:fc[12]\\.(weight|bias)").matches("fc3.bias")).isFalse();
        assertThatThrownBy(() -> NamePattern.of("regex:(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid parameter pattern 'regex:('");
    }
}
