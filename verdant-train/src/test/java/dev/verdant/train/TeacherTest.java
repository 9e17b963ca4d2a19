package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Batch;
import dev.verdant.data.ImageAugmentation;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.PartlyLabelled;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.zoo.Activation;
import dev.verdant.train.zoo.Architecture;
import dev.verdant.train.zoo.Mlp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cached teacher gives the logits the teacher itself gives, whatever order the samples come in, and so the same
 * distillation loss; it refuses samples it was not computed on. Real data: the committed Fashion-MNIST sample.
 */
class TeacherTest {

    private static ImageDataset train;
    private static ImageDataset heldOut;
    private static ModelProto teacher;

    @BeforeAll
    static void trainATeacher() {
        ImageDataset sample = FashionMnistSample.images();
        train = sample.select(IntStream.range(0, 600).toArray());
        heldOut = sample.select(IntStream.range(600, 1000).toArray());
        teacher = new Trainer(TrainConfig.builder().setEpochs(2).optSeed(5).optThreads(1).build())
                .fit(Mlp.lenet300100(5).build(), "zoo:mlp", train, heldOut).model();
    }

    @Test
    void cachedLogitsEqualTheTeachersOnShuffledBatches() {
        Teacher.Cached cached = Teacher.cache(teacher, train, 1, 128);
        assertThat(cached.size()).isEqualTo(train.size());
        Batch shuffled = train.shuffled(9).batch(0, 64);
        try (OrtClassifier direct = OrtClassifier.load(teacher, 1); Teacher.Logits open = cached.open(1)) {
            assertSameLogits(open.logits(shuffled), direct.logits(shuffled));
        }
    }

    @Test
    void aSampleOutsideTheCacheIsRefusedNotGuessed() {
        Teacher.Cached cached = Teacher.cache(teacher, train, 1, 128);
        float[] shifted = train.batch(0, 2).features().clone();
        shifted[3] += 0.5f; // one pixel changed, as an augmentation would
        Batch augmented = new Batch(-1, shifted, train.batch(0, 2).labels(), train.sampleShape());
        assertThatThrownBy(() -> cached.logits(augmented))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run the teacher on every batch");
        assertThatThrownBy(() -> cached.logits(heldOut.batch(0, 4)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cachedAndPerBatchTeachersGiveTheSameFirstEpochLoss() {
        TrainingLoss loss = new TrainingLoss.Distillation(4f, 0.9f);
        List<Float> perBatch = stepLosses(new Teacher.PerBatch(teacher), loss);
        List<Float> cached = stepLosses(Teacher.cache(teacher, train, 1, 500), loss);
        assertThat(cached).hasSameSizeAs(perBatch).hasSize(train.batchCount(64, false));
        for (int i = 0; i < perBatch.size(); i++) {
            assertThat(cached.get(i)).isCloseTo(perBatch.get(i), within(1e-4f));
        }
        assertThat(perBatch.get(perBatch.size() - 1)).isLessThan(perBatch.get(0)); // it did train
    }

    @Test
    void augmentedTrainingRefusesCachedLogitsButRunsWithAPerBatchTeacher() {
        TrainingLoss loss = new TrainingLoss.Distillation(4f, 0.9f);
        ImageAugmentation flip = ImageAugmentation.parse("flip");
        assertThatThrownBy(() -> TrainConfig.builder().optLoss(loss).optAugmentation(flip)
                .optTeacher(Teacher.cache(teacher, train, 1, 500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every batch");
        TrainConfig config = TrainConfig.builder().setEpochs(1).optSeed(7).optThreads(1).optLoss(loss)
                .optAugmentation(flip).optTeacher(new Teacher.PerBatch(teacher)).build();
        assertThat(new Trainer(config).fit(Mlp.lenet300100(7).build(), "zoo:mlp", train, heldOut).finalAccuracy())
                .isGreaterThan(0.3);
    }

    @Test
    void aCacheOverATransferSetHoldsTheTeachersLogitsForBothParts() {
        PartlyLabelled transfer = new PartlyLabelled(train.subset(200), heldOut);
        Teacher.Cached cached = Teacher.cache(teacher, transfer, 1, 128);
        assertThat(cached.size()).isEqualTo(600);
        Batch mixed = transfer.shuffledBatches(64, 3).iterator().next();
        assertThat(mixed.hasUnlabelled()).isTrue();
        try (OrtClassifier direct = OrtClassifier.load(teacher, 1)) {
            assertSameLogits(cached.logits(mixed), direct.logits(mixed));
        }
    }

    /**
     * The unlabelled part's labels are never read: the same run with those labels scrambled takes the very same
     * steps, while only a loss that reads a teacher may train on unlabelled samples.
     */
    @Test
    void aTransferSetIsScoredByTheTeacherAloneAndItsLabelsAreNeverRead() {
        int[] scrambled = heldOut.labels().clone();
        for (int i = 0; i < scrambled.length; i++) {
            scrambled[i] = (scrambled[i] + 1 + i % 9) % 10;
        }
        ImageDataset relabelled = new ImageDataset(heldOut.name(), heldOut.pixels(), 1, 28, 28, scrambled,
                heldOut.classNames());
        TrainingLoss loss = new TrainingLoss.Distillation(2f, 0.5f);
        List<Float> honest = stepLosses(new Teacher.PerBatch(teacher), loss,
                TrainingData.of(new PartlyLabelled(train.subset(200), heldOut)));
        List<Float> lied = stepLosses(new Teacher.PerBatch(teacher), loss,
                TrainingData.of(new PartlyLabelled(train.subset(200), relabelled)));
        assertThat(lied).hasSize(10).isEqualTo(honest);
        assertThatThrownBy(() -> stepLosses(null, new TrainingLoss.Distillation(2f, 0f),
                TrainingData.of(new PartlyLabelled(train.subset(200), heldOut))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unlabelled samples (a transfer set) can only be scored by a teacher");
    }

    @Test
    void alphaZeroIsCrossEntropyAndNeedsNoTeacher() {
        TrainingLoss alone = new TrainingLoss.Distillation(4f, 0f);
        assertThat(alone.needsTeacher()).isFalse();
        assertThat(stepLosses(null, alone)).isEqualTo(stepLosses(null, new TrainingLoss.CrossEntropy()));
    }

    private static void assertSameLogits(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertThat(actual[i][c]).isCloseTo(expected[i][c], within(1e-5f));
            }
        }
    }

    /** The loss of every step of one epoch training a fresh MLP student, distilled from {@code source} if not null. */
    private static List<Float> stepLosses(Teacher source, TrainingLoss loss) {
        return stepLosses(source, loss, TrainingData.of(train));
    }

    /** As {@link #stepLosses(Teacher, TrainingLoss)}, on {@code data}. */
    private static List<Float> stepLosses(Teacher source, TrainingLoss loss, TrainingData data) {
        List<Float> losses = new ArrayList<>();
        TrainConfig.Builder config = TrainConfig.builder().setEpochs(1).optSeed(7).optThreads(1).optLoss(loss)
                .optListener(new TrainingListener() {
                    @Override
                    public void stepFinished(int samples, double value, double samplesPerSecond, double joules) {
                        losses.add((float) value);
                    }
                });
        if (source != null) {
            config.optTeacher(source);
        }
        new Trainer(config.build()).fit(new Mlp(List.of(32), Architecture.GREY_28X28, 10, Activation.RELU, 7)
                .build(), "zoo:mlp", data, TrainingData.of(heldOut));
        return losses;
    }
}
