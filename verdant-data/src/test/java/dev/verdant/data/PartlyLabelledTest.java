package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partly labelled set batches every labelled and every unlabelled sample once per epoch, the unlabelled ones
 * without their labels. Real images: the committed Fashion-MNIST sample.
 */
class PartlyLabelledTest {

    private static ImageDataset labelled;
    private static ImageDataset unlabelled;

    @BeforeAll
    static void load() {
        ImageDataset sample = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        labelled = sample.select(IntStream.range(0, 300).toArray());
        unlabelled = sample.select(IntStream.range(300, 1000).toArray());
    }

    @Test
    void anEpochHoldsEverySampleOnceAndOnlyTheLabelledOnesKeepTheirLabel() {
        PartlyLabelled data = new PartlyLabelled(labelled, unlabelled);
        assertThat(data.size()).isEqualTo(1000);
        assertThat(data.batchCount(64)).isEqualTo(16);
        Map<String, Integer> expected = new HashMap<>(); // sample pixels -> label it must come with
        for (int i = 0; i < labelled.size(); i++) {
            expected.merge(key(labelled.image(i)), labelled.label(i), (a, b) -> a.equals(b) ? a : -2);
        }
        for (int i = 0; i < unlabelled.size(); i++) {
            expected.merge(key(unlabelled.image(i)), Batch.UNLABELLED, (a, b) -> a.equals(b) ? a : -2);
        }
        expected.values().removeIf(label -> label == -2); // identical images in both parts say nothing
        int seen = 0;
        int unlabelledSeen = 0;
        int batches = 0;
        List<String> order = new ArrayList<>();
        for (Batch batch : data.shuffledBatches(64, 5)) {
            batches++;
            int featureSize = labelled.featureSize();
            for (int i = 0; i < batch.size(); i++) {
                float[] image = java.util.Arrays.copyOfRange(batch.features(), i * featureSize, (i + 1) * featureSize);
                String key = key(image);
                order.add(key);
                if (expected.containsKey(key)) {
                    assertThat(batch.labels()[i]).isEqualTo(expected.get(key));
                }
                unlabelledSeen += batch.labels()[i] == Batch.UNLABELLED ? 1 : 0;
                seen++;
            }
        }
        assertThat(batches).isEqualTo(16);
        assertThat(seen).isEqualTo(1000);
        List<String> all = new ArrayList<>();
        IntStream.range(0, labelled.size()).forEach(i -> all.add(key(labelled.image(i))));
        IntStream.range(0, unlabelled.size()).forEach(i -> all.add(key(unlabelled.image(i))));
        assertThat(order).containsExactlyInAnyOrderElementsOf(all);
        assertThat(unlabelledSeen).isEqualTo(700);
        assertThat(order.subList(0, 20)).isNotEqualTo(orderOf(new PartlyLabelled(labelled, unlabelled), 6)
                .subList(0, 20));
        assertThat(order).isEqualTo(orderOf(new PartlyLabelled(labelled, unlabelled), 5)); // a seed fixes it
    }

    @Test
    void partsOfDifferentShapesOrAnEmptyPartAreRefused() {
        ImageDataset wide = new ImageDataset("wide", new float[2 * 28 * 29], 1, 28, 29, new int[2],
                ImageDataset.FASHION_MNIST_CLASSES);
        assertThatThrownBy(() -> new PartlyLabelled(labelled, wide)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("[1, 28, 29]");
        assertThatThrownBy(() -> new PartlyLabelled(labelled, unlabelled.subset(0)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("needs labelled and unlabelled");
        assertThatThrownBy(() -> new Batch(-1, new float[1], new int[] {-2}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> orderOf(PartlyLabelled data, long seed) {
        List<String> order = new ArrayList<>();
        int featureSize = labelled.featureSize();
        for (Batch batch : data.shuffledBatches(64, seed)) {
            for (int i = 0; i < batch.size(); i++) {
                order.add(key(java.util.Arrays.copyOfRange(batch.features(), i * featureSize, (i + 1) * featureSize)));
            }
        }
        return order;
    }

    private static String key(float[] image) {
        return java.util.Arrays.toString(image);
    }
}
