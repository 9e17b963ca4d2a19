package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.List;

/** Small valid ONNX files for the reader's property and fuzz tests. */
final class ModelSamples {

    private ModelSamples() {
    }

    /** x[batch, 4] -> Gemm(w[3, 4], b[3], transB=1) -> Relu -> y[batch, 3]; and the same with an int64 shape. */
    static List<byte[]> valid() {
        OnnxModelBuilder b = OnnxModelBuilder.create("tiny");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(4));
        String gemm = b.node("Gemm").name("fc").inputs(x,
                        b.initializer("w", new long[] {3, 4}, new float[] {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12}),
                        b.initializer("b", new long[] {3}, new float[] {0.5f, -0.5f, 0}))
                .attribute(Attributes.ofInt("transB", 1)).output("g");
        String y = b.node("Relu").name("relu").inputs(gemm).output("y");
        b.output(y, DataType.FLOAT, Dim.named("batch"), Dim.of(3));
        ModelProto gemmModel = b.build();

        OnnxModelBuilder r = OnnxModelBuilder.create("reshape");
        String in = r.input("x", DataType.FLOAT, Dim.of(2), Dim.of(3));
        String shape = r.initializer(Tensors.ofLongs("shape", new long[] {2}, new long[] {3, 2}));
        String out = r.node("Reshape").name("reshape").inputs(in, shape).output("y");
        r.output(out, DataType.FLOAT, Dim.of(3), Dim.of(2));
        return List.of(gemmModel.toByteArray(), r.build().toByteArray());
    }
}
