import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.*;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.*;
import java.util.Locale;
/**
 * Validation sweep (never the test set): Fashion-MNIST train part shuffled (seed 7), 50,000 to train, 10,000 to validate.
 * args: teacher.onnx student.onnx epochs lr T:alpha ...   (alpha 0 = plain cross-entropy, the "alone" arm)
 * The teacher (every member of an ensemble) must not have trained on the validation images: a student that matches
 * the teacher's function inherits what the teacher memorised of them, which inflated an earlier sweep by 1.5 points.
 * Teachers whose provenance says they trained on more than the sweep's training part are refused.
 * Options: -Daugment=shift2+flip (both arms; the teacher then runs on every augmented batch), -Dseed=N (shuffles and
 * augmentation draws, default 1), -Dtest=true (also print each arm's test accuracy: for the record, never for choosing).
 */
public class DistillValidationSweep {
    public static void main(String[] a) throws Exception {
        ModelProto teacher = OnnxModels.read(a[0]);
        int limit = Integer.getInteger("limit", 50_000);
        for (var entry : dev.verdant.onnx.OnnxGraph.of(teacher).metadata().entrySet()) {
            if (entry.getKey().endsWith(TrainingProvenance.PREFIX + "train_samples")
                    && Integer.parseInt(entry.getValue()) > limit) {
                throw new IllegalArgumentException("teacher " + entry.getKey() + " = " + entry.getValue()
                        + ": it trained on images this sweep validates on; train it on the sweep's training part only, with"
                        + " verdant train --limit " + limit + " --seed 7");
            }
        }
        ModelProto student = OnnxModels.read(a[1]);
        int epochs = Integer.parseInt(a[2]);
        float lr = Float.parseFloat(a[3]);
        ImageDataset all = Datasets.images(Datasets.resolve("fashion-mnist"), "fashion-mnist").load(Part.TRAIN).shuffled(7);
        ImageDataset train = all.select(java.util.stream.IntStream.range(0, limit).toArray());
        ImageDataset val = all.select(java.util.stream.IntStream.range(50_000, 60_000).toArray());
        try (OrtClassifier t = OrtClassifier.load(teacher, 1)) {
            System.out.printf(Locale.ROOT, "teacher val %.4f%n", t.evaluate(val, 500).accuracy());
        }
        ImageAugmentation augmentation = ImageAugmentation.parse(System.getProperty("augment", "none"));
        long seed = Long.getLong("seed", 1);
        ImageDataset testSet = Boolean.getBoolean("test")
                ? Datasets.images(Datasets.resolve("fashion-mnist"), "fashion-mnist").load(Part.TEST) : null;
        Teacher source = augmentation.isIdentity() ? Teacher.cache(teacher, train, 1, 500) : new Teacher.PerBatch(teacher);
        for (int i = 4; i < a.length; i++) {
            String arm = a[i]; String[] ta = arm.split(":");
            float temperature = Float.parseFloat(ta[0]), alpha = Float.parseFloat(ta[1]);
            TrainConfig.Builder c = TrainConfig.builder().setEpochs(epochs).optSeed(seed).optThreads(1).optLearningRate(lr)
                    .optAugmentation(augmentation)
                    .optListener(new TrainingListener() {
                        @Override public void epochFinished(EpochResult r) {
                            System.out.printf(Locale.ROOT, "  %s epoch %d loss %.4f val %.4f %.1fs%n", arm, r.epoch(), r.trainLoss(), r.testAccuracy(), r.seconds());
                        }
                    });
            if (alpha > 0) {
                c.optLoss(new TrainingLoss.Distillation(temperature, alpha)).optTeacher(source);
            }
            TrainingResult r = new Trainer(c.build()).fit(student, "sweep", train, val);
            String test = "";
            if (testSet != null) {
                try (OrtClassifier s = OrtClassifier.load(r.model(), 1)) {
                    test = String.format(Locale.ROOT, " test=%.4f", s.evaluate(testSet, 500).accuracy());
                }
            }
            System.out.printf(Locale.ROOT, "RESULT %s %s epochs=%d lr=%s T=%s alpha=%s augment=%s seed=%d val=%.4f%s%n", a[1], a[0],
                    epochs, lr, temperature, alpha, augmentation.describe(), seed, r.finalAccuracy(), test);
        }
    }
}
