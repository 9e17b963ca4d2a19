import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.Batch;
import dev.verdant.io.AtomicFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Deep Compression without retraining on a trained classifier: prune, share, pack, unpack, and the accuracy on the
 * Fashion-MNIST test set after each step, with every size counted on disk. A benchmark, not a test (see README.md).
 *
 * Arguments: MODEL.onnx PRUNING-TARGET SHARING-BITS OUT-FOLDER, e.g. lenet300.onnx 0.92 5bit /tmp/out
 */
public class DeepCompressionBench {
    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path out = Path.of(args[3]);
        Files.createDirectories(out);
        ModelProto model = OnnxModels.read(input);
        ImageDataset test = Datasets.resolveImages("fashion-mnist").load(Part.TEST);
        PassContext context = PassContext.withoutData(1);

        PassOutput pruned = new MagnitudePruner(PruningTarget.parse(args[1])).apply(model, context);
        PassOutput shared = new WeightSharer(SharingBits.parse(args[2])).apply(pruned.model(), context);
        Path sharedFile = out.resolve("shared.onnx");
        OnnxModels.write(shared.model(), sharedFile, input);
        VdzContainer.Packed packed = VdzContainer.pack(shared.model());
        Path vdz = out.resolve("model.vdz");
        AtomicFiles.write(vdz, packed.bytes(), input);
        ModelProto unpacked = VdzContainer.unpack(vdz);
        Path unpackedFile = out.resolve("unpacked.onnx");
        OnnxModels.write(unpacked, unpackedFile, input);

        long fp32Bytes = Files.size(input);
        System.out.printf("model %s: %,d bytes%n", input, fp32Bytes);
        System.out.printf("prune %s: overall sparsity %.4f%n", args[1], (Double) pruned.facts().get("sparsity"));
        for (Object layer : (List<?>) pruned.facts().get("layers")) {
            Map<?, ?> row = (Map<?, ?>) layer;
            System.out.printf("  %-28s %,9d params  sparsity %.4f%n", row.get("tensor"), row.get("params"), row.get("sparsity"));
        }
        System.out.printf("share %s: Han ratio before Huffman %.2fx%n", args[2], (Double) shared.facts().get("compressionRatio"));
        System.out.printf("shared ONNX %,d bytes; .vdz %,d bytes = %.2fx smaller than the fp32 ONNX file%n",
                Files.size(sharedFile), Files.size(vdz), (double) fp32Bytes / Files.size(vdz));
        System.out.printf("  .vdz parts: header %d, skeleton %,d (ONNX %,d before deflate), tensors %,d, checksum %d%n",
                packed.stats().headerBytes(), packed.stats().skeletonBytes(), packed.stats().skeletonModelBytes(),
                packed.stats().tensorBytes(), packed.stats().checksumBytes());
        packed.stats().tensors().forEach(t -> System.out.printf(
                "  %-28s %-6s %-16s nonzero %,7d/%,7d gapBits %d fillers %,d: %,d B (codebook %d, tables %d, gaps %,d, values %,d, header %d) = %.2f bits/weight%n",
                t.name(), t.layout(), t.values(), t.nonzeros(), t.elements(), t.gapBits(), t.fillers(), t.packedBytes(),
                t.codebookBytes(), t.tableBytes(), t.gapBytes(), t.valueBytes(), t.headerBytes(), t.bitsPerElement()));

        Map<String, ModelProto> stages = new java.util.LinkedHashMap<>();
        stages.put("fp32", model);
        stages.put("pruned", pruned.model());
        stages.put("pruned+shared", shared.model());
        stages.put("unpacked from .vdz", OnnxModels.read(unpackedFile));
        for (Map.Entry<String, ModelProto> stage : stages.entrySet()) {
            try (OrtClassifier classifier = OrtClassifier.load(stage.getValue(), 1)) {
                System.out.printf("accuracy %-20s %.4f (%,d test images)%n", stage.getKey(),
                        classifier.evaluate(test, 256).accuracy(), test.size());
            }
        }
        try (OrtClassifier a = OrtClassifier.load(shared.model(), 1); OrtClassifier b = OrtClassifier.load(unpacked, 1)) {
            long differing = 0;
            for (Batch batch : test.batches(256)) {
                float[][] x = a.logits(batch);
                float[][] y = b.logits(batch);
                for (int i = 0; i < x.length; i++) {
                    if (!java.util.Arrays.equals(x[i], y[i])) {
                        differing++;
                    }
                }
            }
            System.out.printf("unpacked vs packed model: %d of %,d test images with any logit differing%n", differing, test.size());
        }
    }
}
