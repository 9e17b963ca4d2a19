package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tricky corners of ONNX's shape rules, each worked out by hand from the operator specs. */
class ShapeRulesTest {

    private static NodeProto node(String op, String... inputs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_node")
                .addOutput(op.toLowerCase() + "_out");
        Arrays.stream(inputs).forEach(b::addInput);
        return b.build();
    }

    private static NodeProto withAttribute(NodeProto node, ai.onnx.proto.OnnxMl.AttributeProto attribute) {
        return node.toBuilder().addAttribute(attribute).build();
    }

    private static TensorFacts floats(long... dims) {
        return TensorFacts.of(DataType.FLOAT, dims);
    }

    private static TensorFacts only(NodeProto node, long opset, TensorFacts... inputs) {
        return ShapeRules.infer(node, opset, Arrays.asList(inputs)).orElseThrow().get(0);
    }

    @Test
    void reshapeCopiesZeroDimsAndInfersMinusOne() {
        assertThat(ShapeRules.reshape(new long[] {2, 7, 384}, new long[] {0, 0, 12, 32}, false))
                .containsExactly(2, 7, 12, 32);
        assertThat(ShapeRules.reshape(new long[] {2, 7, 384}, new long[] {-1, 384}, false)).containsExactly(14, 384);
        assertThat(ShapeRules.reshape(new long[] {2, 7, 12, 32}, new long[] {0, -1, 384}, false))
                .containsExactly(2, 7, 384);
        // with allowzero a 0 is a real zero-length dim, so the tensor must be empty
        assertThat(ShapeRules.reshape(new long[] {0, 4}, new long[] {0, 8}, true)).containsExactly(0, 8);
        assertThatThrownBy(() -> ShapeRules.reshape(new long[] {2, 3}, new long[] {-1, -1}, false))
                .hasMessageContaining("two -1 dims");
        assertThatThrownBy(() -> ShapeRules.reshape(new long[] {2, 3}, new long[] {4, -1}, false))
                .hasMessageContaining("cannot reshape [2,3] to [4,-1]");
        assertThatThrownBy(() -> ShapeRules.reshape(new long[] {2, 3}, new long[] {0, 0, 0}, false))
                .hasMessageContaining("copies dim 2 of [2,3]");
    }

    @Test
    void aMismatchNamesTheNodeAndTheOption() {
        NodeProto add = node("Add", "a", "b");
        assertThatThrownBy(() -> ShapeRules.infer(add, 13, List.of(floats(2, 3), floats(4, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shapes do not fit node add_node (Add): [2,3] and [4,3] do not broadcast (check --shape)");
    }

    @Test
    void sliceCountsNegativeIndicesFromTheEndAndClampsTheRest() {
        // x[2:5] of 10 -> 3; x[-3:] (end INT64_MAX) -> 3; x[-100:100] -> all 10; x[8:2] -> empty
        assertThat(ShapeRules.sliceRange(10, 2, 5, 1)).containsExactly(2, 3);
        assertThat(ShapeRules.sliceRange(10, -3, Long.MAX_VALUE, 1)).containsExactly(7, 3);
        assertThat(ShapeRules.sliceRange(10, -100, 100, 1)).containsExactly(0, 10);
        assertThat(ShapeRules.sliceRange(10, 8, 2, 1)).containsExactly(8, 0);
        // steps: x[1:10:3] -> 1, 4, 7; reversed x[::-1] (start -1, end INT64_MIN) -> all 10; x[-1:-4:-2] -> 9, 7
        assertThat(ShapeRules.sliceRange(10, 1, 10, 3)).containsExactly(1, 3);
        assertThat(ShapeRules.sliceRange(10, -1, Long.MIN_VALUE, -1)).containsExactly(9, 10);
        assertThat(ShapeRules.sliceRange(10, -1, -4, -2)).containsExactly(9, 2);
    }

    @Test
    void sliceFoldsTheValuesOfAShapeTensor() {
        NodeProto slice = node("Slice", "shape", "starts", "ends", "axes");
        TensorFacts shape = TensorFacts.int64s(2, 7, 384);
        TensorFacts out = only(slice, 13, shape, TensorFacts.int64s(-2), TensorFacts.int64s(Long.MAX_VALUE),
                TensorFacts.int64s(0));
        assertThat(out.shape()).containsExactly(2);
        assertThat(out.values()).containsExactly(7, 384);
    }

    @Test
    void unsqueezeTakesAxesFromTheAttributeBeforeOpset13AndFromAnInputAfter() {
        TensorFacts x = floats(2, 7);
        NodeProto opset11 = withAttribute(node("Unsqueeze", "x"), Attributes.ofInts("axes", 1, -1));
        // axes index the output (rank 4): 1 and -1 (= 3) -> [2, 1, 7, 1]
        assertThat(only(opset11, 11, x).shape()).containsExactly(2, 1, 7, 1);
        NodeProto opset13 = node("Unsqueeze", "x", "axes");
        assertThat(only(opset13, 13, x, TensorFacts.int64s(0)).shape()).containsExactly(1, 2, 7);
        // the same node at opset 13 with axes only as an attribute has no axes input: not inferable here
        assertThat(ShapeRules.infer(opset11, 13, List.of(x))).isEmpty();
        // a scalar index unsqueezed keeps its value, as Shape -> Gather -> Unsqueeze -> Concat chains need
        TensorFacts scalar = new TensorFacts(DataType.INT64, new long[0], new long[] {7});
        TensorFacts one = only(opset13, 13, scalar, TensorFacts.int64s(0));
        assertThat(one.shape()).containsExactly(1);
        assertThat(one.values()).containsExactly(7);
    }

    @Test
    void squeezeRemovesTheNamedOnesOrEveryOneAndRefusesOthers() {
        TensorFacts x = floats(1, 3, 1, 5);
        assertThat(only(node("Squeeze", "x"), 13, x).shape()).containsExactly(3, 5);
        assertThat(only(node("Squeeze", "x", "axes"), 13, x, TensorFacts.int64s(-2)).shape())
                .containsExactly(1, 3, 5);
        NodeProto opset11 = withAttribute(node("Squeeze", "x"), Attributes.ofInts("axes", 0));
        assertThat(only(opset11, 11, x).shape()).containsExactly(3, 1, 5);
        assertThatThrownBy(() -> only(node("Squeeze", "x", "axes"), 13, x, TensorFacts.int64s(1)))
                .hasMessageContaining("Squeeze of axis 1 of [1,3,1,5], which is not 1");
    }

    @Test
    void gatherAndConcatFoldShapeValuesIntoAReshapeTarget() {
        TensorFacts shape = TensorFacts.int64s(2, 7, 384);
        NodeProto gather = node("Gather", "shape", "index");
        TensorFacts batch = only(gather, 13, shape, new TensorFacts(DataType.INT64, new long[0], new long[] {0}));
        assertThat(batch.shape()).isEmpty();
        assertThat(batch.values()).containsExactly(2);
        TensorFacts last = only(gather, 13, shape, new TensorFacts(DataType.INT64, new long[0], new long[] {-1}));
        assertThat(last.values()).containsExactly(384);
        NodeProto concat = withAttribute(node("Concat", "a", "b", "c"), Attributes.ofInt("axis", 0));
        TensorFacts target = only(concat, 13, TensorFacts.int64s(2), TensorFacts.int64s(-1),
                TensorFacts.int64s(12, 32));
        assertThat(target.values()).containsExactly(2, -1, 12, 32);
        TensorFacts reshaped = only(node("Reshape", "x", "target"), 14, floats(2, 7, 384), target);
        assertThat(reshaped.shape()).containsExactly(2, 7, 12, 32);
        assertThatThrownBy(() -> only(gather, 13, shape, new TensorFacts(DataType.INT64, new long[0],
                new long[] {3}))).hasMessageContaining("index 3 is out of range for axis 0 of [3]");
    }

    @Test
    void shapeTakesStartAndEndClampedToTheRank() {
        NodeProto shape = withAttribute(withAttribute(node("Shape", "x"), Attributes.ofInt("start", -2)),
                Attributes.ofInt("end", 100));
        assertThat(only(shape, 15, floats(2, 7, 384)).values()).containsExactly(7, 384);
    }

    @Test
    void poolingWithCeilModeKeepsTheLastPartialWindow() {
        NodeProto pool = withAttribute(withAttribute(withAttribute(node("MaxPool", "x"),
                Attributes.ofInts("kernel_shape", 3, 3)), Attributes.ofInts("strides", 2, 2)),
                Attributes.ofInt("ceil_mode", 1));
        // (112 - 3) / 2 = 54.5: floor gives 55 outputs, ceil 56
        assertThat(only(pool, 13, floats(1, 64, 112, 112)).shape()).containsExactly(1, 64, 56, 56);
        NodeProto floor = withAttribute(withAttribute(node("MaxPool", "x"), Attributes.ofInts("kernel_shape", 3, 3)),
                Attributes.ofInts("strides", 2, 2));
        assertThat(only(floor, 13, floats(1, 64, 112, 112)).shape()).containsExactly(1, 64, 55, 55);
    }

    @Test
    void resizeTakesSizesOrTruncatesScaledDimsAtEachOpsetStyle() {
        TensorFacts x = floats(1, 96, 20, 30);
        TensorFacts scales = new TensorFacts(DataType.FLOAT, new long[] {4}, null, new float[] {1, 1, 2, 2.5f});
        TensorFacts empty = new TensorFacts(DataType.FLOAT, new long[] {0}, null, new float[0]);
        // opset 10: Resize(X, scales)
        assertThat(only(node("Resize", "x", "scales"), 10, x, scales).shape()).containsExactly(1, 96, 40, 75);
        // opset 11 on: Resize(X, roi, scales[, sizes]); sizes win when given
        assertThat(only(node("Resize", "x", "roi", "scales"), 13, x, empty, scales).shape())
                .containsExactly(1, 96, 40, 75);
        assertThat(only(node("Resize", "x", "roi", "scales", "sizes"), 13, x, empty, empty,
                TensorFacts.int64s(1, 96, 7, 9)).shape()).containsExactly(1, 96, 7, 9);
        // floor(20 * 0.35) = 7, floor(30 * 0.35) = 10
        TensorFacts down = new TensorFacts(DataType.FLOAT, new long[] {4}, null, new float[] {1, 1, 0.35f, 0.35f});
        assertThat(only(node("Resize", "x", "roi", "scales"), 13, x, empty, down).shape())
                .containsExactly(1, 96, 7, 10);
        // scales computed from data are not known: the probe answers
        assertThat(ShapeRules.infer(node("Resize", "x", "roi", "scales"), 13, List.of(x, empty,
                TensorFacts.of(DataType.FLOAT, new long[] {4})))).isEmpty();
    }

    @Test
    void aNodeTheRulesDoNotKnowOrCannotReadIsLeftToTheProbe() {
        assertThat(ShapeRules.covers(node("Einsum", "a", "b"))).isFalse();
        assertThat(ShapeRules.infer(node("Einsum", "a", "b"), 13, List.of(floats(2, 3), floats(3, 4)))).isEmpty();
        // a Reshape whose target is computed from float data has no folded values
        assertThat(ShapeRules.infer(node("Reshape", "x", "t"), 14, List.of(floats(6), TensorFacts.of(DataType.INT64,
                new long[] {2})))).isEmpty();
        // a Gemm missing its second input does not throw out of the rules
        assertThat(ShapeRules.infer(node("Gemm", "a"), 13, List.of(floats(2, 3)))).isEmpty();
    }
}
