package dev.verdant.runtime.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputShapesTest {

    /** Two inputs, each passed through Identity to an output, declared with the given shapes. */
    static ModelProto twoInputs(Dim[] a, Dim[] b) {
        OnnxModelBuilder builder = OnnxModelBuilder.create("two-inputs");
        builder.input("a", DataType.FLOAT, a);
        builder.input("b", DataType.FLOAT, b);
        builder.output(builder.node("Identity").inputs("a").output("ya"), DataType.FLOAT, a);
        builder.output(builder.node("Identity").inputs("b").output("yb"), DataType.FLOAT, b);
        return builder.build();
    }

    private static Map<String, long[]> given(Object... nameThenDims) {
        Map<String, long[]> given = new LinkedHashMap<>();
        for (int i = 0; i < nameThenDims.length; i += 2) {
            given.put((String) nameThenDims[i], (long[]) nameThenDims[i + 1]);
        }
        return given;
    }

    @Test
    void oneNameGivenTwoSizesOnTwoInputsIsOneWarningNamingBoth() {
        ModelProto model = twoInputs(new Dim[] {new Dim.Symbolic("batch"), new Dim.Fixed(3)},
                new Dim[] {new Dim.Symbolic("batch"), new Dim.Fixed(5)});
        InputShapes shapes = InputShapes.resolve(OnnxGraph.of(model),
                given("a", new long[] {2, 3}, "b", new long[] {4, 5}));
        assertThat(shapes.warnings()).containsExactly("dimension 'batch' is 2 on input a axis 0 but 4 on input b axis 0;"
                + " one name means one size, so it binds no other axis");
    }

    @Test
    void oneNameOnTwoAxesOfOneInputGivenTwoSizesIsWarnedToo() {
        ModelProto model = twoInputs(new Dim[] {new Dim.Symbolic("n"), new Dim.Symbolic("n")},
                new Dim[] {new Dim.Fixed(1)});
        InputShapes shapes = InputShapes.resolve(OnnxGraph.of(model), given("a", new long[] {2, 3}));
        assertThat(shapes.warnings()).singleElement().asString()
                .contains("'n'").contains("2 on input a axis 0").contains("3 on input a axis 1");
    }

    @Test
    void consistentSizesAndDefaultsWarnNothingAndBindOneSizePerName() {
        ModelProto model = twoInputs(new Dim[] {new Dim.Symbolic("batch"), new Dim.Symbolic("seq")},
                new Dim[] {new Dim.Fixed(1), new Dim.Symbolic("seq"), new Dim.Symbolic("batch")});
        InputShapes given = InputShapes.resolve(OnnxGraph.of(model), given("a", new long[] {2, 7}));
        assertThat(given.warnings()).isEmpty();
        assertThat(given.shapes().get("b")).containsExactly(1, 7, 2);
        // nothing given: a's defaults (batch 1, seq 128) bind the names, so b's axes get the same sizes
        InputShapes defaulted = InputShapes.resolve(OnnxGraph.of(model), Map.of());
        assertThat(defaulted.warnings()).isEmpty();
        assertThat(defaulted.shapes().get("b")).containsExactly(1, 128, 1);
    }

    @Test
    void theBatchIsTheFirstAxisOrTheFirstDynamicOneBehindALeadingSizeAboveOne() {
        // a recurrent state [2, n, 128] (Silero VAD): its open axis is the batch, not a sequence of 128
        ModelProto model = twoInputs(new Dim[] {new Dim.Fixed(2), new Dim.Symbolic("n"), new Dim.Fixed(128)},
                new Dim[] {new Dim.Fixed(1), new Dim.Symbolic("length")});
        InputShapes shapes = InputShapes.resolve(OnnxGraph.of(model), Map.of());
        assertThat(shapes.shapes().get("a")).containsExactly(2, 1, 128);
        // an export fixed at batch 1: its open axis is a length
        assertThat(shapes.shapes().get("b")).containsExactly(1, 128);
        ModelProto images = twoInputs(new Dim[] {new Dim.Symbolic("n"), new Dim.Fixed(3), new Dim.Symbolic("h"),
                new Dim.Symbolic("w")}, new Dim[] {new Dim.Symbolic("m"), new Dim.Symbolic("t")});
        InputShapes imageShapes = InputShapes.resolve(OnnxGraph.of(images), Map.of());
        assertThat(imageShapes.shapes().get("a")).containsExactly(1, 3, 128, 128);
        assertThat(imageShapes.shapes().get("b")).containsExactly(1, 128);
    }

    @Test
    void aShapeOfMoreElementsThanATensorHoldsIsOneLineNotAnOverflow() {
        for (String spec : new String[] {"input_ids=4000000000x128", "x=9223372036854775807x9223372036854775807",
                "x=65536x65536"}) {
            assertThatThrownBy(() -> InputShapes.parseSpec(spec)).as(spec)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 2^31-1 elements");
        }
        assertThat(InputShapes.parseSpec("input_ids=32x512").getValue()).containsExactly(32, 512);
    }
}
