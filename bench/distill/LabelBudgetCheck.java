import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtClassifier;
import java.util.Locale;
import java.util.stream.IntStream;
/**
 * For the label-budget distillation runs: each model's accuracy on the labelled subset of the Fashion-MNIST training
 * part (the first N of its shuffle by SEED, what {@code verdant train --limit N --seed SEED} and
 * {@code distill:...,examples=N} with {@code --seed SEED} train on), on the rest of the training part (the transfer set
 * of {@code transfer=rest}) and on the 10,000 test images. A teacher that saw only the labelled subset scores far
 * higher on it than on the rest. args: N SEED model.onnx...
 */
public class LabelBudgetCheck {
    public static void main(String[] a) throws Exception {
        int labelled = Integer.parseInt(a[0]);
        long seed = Long.parseLong(a[1]);
        var source = Datasets.resolveImages("fashion-mnist");
        ImageDataset train = source.load(Part.TRAIN).shuffled(seed);
        ImageDataset budget = train.subset(labelled);
        ImageDataset rest = train.select(IntStream.range(labelled, train.size()).toArray());
        ImageDataset test = source.load(Part.TEST);
        for (int i = 2; i < a.length; i++) {
            try (OrtClassifier model = OrtClassifier.load(OnnxModels.read(a[i]), 1)) {
                System.out.printf(Locale.ROOT, "%s labelled %.4f rest %.4f test %.4f%n", a[i],
                        model.evaluate(budget, 500).accuracy(), model.evaluate(rest, 500).accuracy(),
                        model.evaluate(test, 500).accuracy());
            }
        }
    }
}
