import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Activation;
import dev.verdant.train.zoo.Mlp;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
/**
 * A zoo MLP student for 28x28 Fashion-MNIST images, written as an ONNX file from seeded weights:
 * args seed out.onnx hidden... (e.g. {@code 1 mlp-128.onnx 128} for 784-128-10); prints its MACs per image.
 */
public class MakeMlpStudent {
    public static void main(String[] a) throws Exception {
        long seed = Long.parseLong(a[0]);
        List<Integer> hidden = Arrays.stream(a, 2, a.length).map(Integer::valueOf).toList();
        var mlp = new Mlp(hidden, List.of(1L, 28L, 28L), 10, Activation.RELU, seed);
        OnnxModels.write(mlp.build(), Path.of(a[1]));
        System.out.println(mlp.inspect().macs());
    }
}
