import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.OnnxModels;

/**
 * Sizes and times of pack alone and of prune + share + pack on any ONNX model (no accuracy: see
 * DeepCompressionBench for a classifier). A benchmark, not a test (see README.md).
 *
 * Arguments: MODEL (file or built-in name) PRUNING-TARGET SHARING-BITS, e.g. minilm 0.5 5bit
 */
public class PackSizes {
    public static void main(String[] args) {
        ModelProto model = OnnxModels.read(args[0]);
        long t0 = System.nanoTime();
        VdzContainer.Packed plain = VdzContainer.pack(model);
        long t1 = System.nanoTime();
        System.out.printf("pack as is: %,d -> %,d bytes (%.3fx) in %.1f s (round-trip check included); skeleton %,d%n",
                model.getSerializedSize(), plain.bytes().length, plain.stats().ratio(), (t1 - t0) / 1e9,
                plain.stats().skeletonBytes());
        PassContext context = PassContext.withoutData(1);
        long t2 = System.nanoTime();
        PassOutput pruned = new MagnitudePruner(PruningTarget.parse(args[1])).apply(model, context);
        long t3 = System.nanoTime();
        PassOutput shared = new WeightSharer(SharingBits.parse(args[2])).apply(pruned.model(), context);
        long t4 = System.nanoTime();
        VdzContainer.Packed packed = VdzContainer.pack(shared.model());
        long t5 = System.nanoTime();
        VdzContainer.unpack(packed.bytes());
        long t6 = System.nanoTime();
        System.out.printf("prune %s: %.1f s, sparsity %.4f; share %s: %.1f s, shared ONNX %,d bytes%n", args[1],
                (t3 - t2) / 1e9, (Double) pruned.facts().get("sparsity"), args[2], (t4 - t3) / 1e9,
                shared.model().getSerializedSize());
        System.out.printf("pack: %.1f s -> %,d bytes = %.2fx smaller than the input; skeleton %,d (ONNX %,d), tensors %,d; unpack %.1f s%n",
                (t5 - t4) / 1e9, packed.bytes().length, (double) model.getSerializedSize() / packed.bytes().length,
                packed.stats().skeletonBytes(), packed.stats().skeletonModelBytes(), packed.stats().tensorBytes(),
                (t6 - t5) / 1e9);
    }
}
