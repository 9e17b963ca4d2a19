package dev.verdant.runtime.inspect;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.io.Mutations;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * {@link InputShapes#parseSpec} on any {@code --shape} value: a name and positive dims whose product fits a Java
 * tensor, or an {@link IllegalArgumentException} on one line.
 */
class InputShapesPropertiesTest {

    @Test
    void aShapeSpecParsesOrFailsOnOneLine() {
        // specs as people type them, mutated; dims spliced from numbers at the edges; any text
        forAll(1500, Mutations.optionValue(Generate.oneOf(
                Mutations.ofText(List.of("input_ids=1x128", "x=1,3,224,224", "pixel_values=2×3×32×32", "a=b=1x2")),
                Mutations.textOf("x=,×0123456789-+ ", 30),
                Generate.pick(List.of("0", "-1", "1", "2147483647", "2147483648", "9223372036854775807",
                                "99999999999999999999", "46341", " 7 ", "1e3"))
                        .zip(Generate.pick(List.of("0", "-1", "1", "2147483647", "65536", "")), (a, b) -> "x=" + a + "x" + b),
                Mutations.anyText(30))), spec -> parsesOrRefuses(() -> InputShapes.parseSpec(spec),
                        IllegalArgumentException.class).ifPresent(entry -> {
                            assertThat(entry.getKey()).isNotEmpty();
                            assertThat(entry.getValue()).isNotEmpty();
                            assertThat(Arrays.stream(entry.getValue()).allMatch(dim -> dim > 0)).isTrue();
                            assertThat(Arrays.stream(entry.getValue()).reduce(1, Math::multiplyExact))
                                    .isLessThanOrEqualTo(Integer.MAX_VALUE);
                        }));
    }

    @Test
    void aMissingDimIsRefused() {
        // found by the property: "xxx=x" split into no dims at all and was taken as a scalar, "x=1x" as [1]
        for (String spec : List.of("xxx=x", "x=1x", "x=x2", "x=1,,2")) {
            assertThatThrownBy(() -> InputShapes.parseSpec(spec)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--shape '" + spec + "': a dim is missing");
        }
    }
}
