import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Path;
/**
 * A zoo image classifier for 28x28 Fashion-MNIST (10 classes) written as an ONNX file from seeded weights, so several
 * members or students can differ only in their initial weights: args arch seed out.onnx [width]; prints its MACs.
 */
public class MakeZooModel {
    public static void main(String[] a) throws Exception {
        var architecture = Zoo.imageClassifier(a[0], 10, a.length > 3 ? Double.parseDouble(a[3]) : 1.0, Long.parseLong(a[1]));
        OnnxModels.write(architecture.build(), Path.of(a[2]));
        System.out.println(architecture.inspect().macs());
    }
}
