import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.train.zoo.*;
import java.nio.file.Path;
import java.util.Map;
/** A LeNet-5-shaped CNN with c1/c2 conv channels and one hidden FC layer: args c1 c2 fc seed out.onnx */
public class MakeNarrowCnn {
    public static void main(String[] a) throws Exception {
        int c1 = Integer.parseInt(a[0]), c2 = Integer.parseInt(a[1]), fc = Integer.parseInt(a[2]);
        long seed = Long.parseLong(a[3]);
        OnnxModelBuilder g = OnnxModelBuilder.create("lenet-narrow").opset(17).producer("verdant", "bench")
                .docString("LeNet-5-shaped CNN conv " + c1 + "/" + c2 + ", fc " + fc);
        LayerWriter l = new LayerWriter(g, seed);
        String x = g.input("input", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        x = l.maxPool(l.relu(l.conv("conv1", x, 1, c1, 5, 1, 2, 1, true, WeightInit.HE_NORMAL)), 2, 2);
        x = l.flatten(l.maxPool(l.relu(l.conv("conv2", x, c1, c2, 5, 1, 0, 1, true, WeightInit.HE_NORMAL)), 2, 2));
        x = l.relu(l.linear("fc1", x, c2 * 25, fc, WeightInit.HE_NORMAL));
        x = l.linear("fc2", x, fc, 10, WeightInit.GLOROT_UNIFORM);
        String out = g.node("Identity").name("logits").inputs(x).output("logits");
        g.output(out, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        ModelProto m = g.build();
        OnnxModels.write(m, Path.of(a[4]));
        System.out.println(ModelInspector.inspect("m", m.getSerializedSize(), m, Map.of("input", new long[] {1, 1, 28, 28})).macs());
    }
}
