package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static final ImageDataset SAMPLE = Datasets.resolveImages("fashion-mnist-sample").loadAll();

    /** Rows whose only feature is their own index, so every split can be traced back to the original rows. */
    private static TabularDataset indexed(int size, int classes) {
        float[] features = new float[size];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            features[i] = i;
            labels[i] = i % classes;
        }
        List<String> names = IntStream.range(0, classes).mapToObj(c -> "c" + c).toList();
        return new TabularDataset("indexed", features, List.of("index"), labels, names);
    }

    private static Set<Integer> indicesOf(TabularDataset part) {
        Set<Integer> indices = new HashSet<>();
        for (float f : part.features()) {
            indices.add((int) f);
        }
        return indices;
    }

    @Test
    void splitIsDeterministicForASeedAndDiffersAcrossSeeds() {
        Split<ImageDataset> first = SAMPLE.split(0.8, 42);
        Split<ImageDataset> again = SAMPLE.split(0.8, 42);
        Split<ImageDataset> other = SAMPLE.split(0.8, 43);

        assertThat(first.train()).isEqualTo(again.train());
        assertThat(first.heldOut()).isEqualTo(again.heldOut());
        assertThat(first.train().size()).isEqualTo(800);
        assertThat(first.heldOut().size()).isEqualTo(200);
        assertThat(other.train()).isNotEqualTo(first.train());
    }

    @Test
    void splitPartsAreDisjointAndCoverEverySampleOnceInOriginalOrder() {
        TabularDataset data = indexed(1001, 5);
        Split<TabularDataset> split = data.split(0.7, 7);
        Set<Integer> train = indicesOf(split.train());
        Set<Integer> heldOut = indicesOf(split.heldOut());

        assertThat(split.train().size()).isEqualTo(701);
        assertThat(train).hasSize(701).doesNotContainAnyElementsOf(heldOut);
        assertThat(train.size() + heldOut.size()).isEqualTo(1001);
        float[] trainOrder = split.train().features();
        for (int i = 1; i < trainOrder.length; i++) {
            assertThat(trainOrder[i]).isGreaterThan(trainOrder[i - 1]);
        }
        // each row keeps its own label
        for (int i = 0; i < split.heldOut().size(); i++) {
            assertThat(split.heldOut().label(i)).isEqualTo(data.label((int) split.heldOut().features()[i]));
        }
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        Split<ImageDataset> split = SAMPLE.stratifiedSplit(0.75, 1);
        int[] whole = SAMPLE.classHistogram();
        int[] train = split.train().classHistogram();
        int[] heldOut = split.heldOut().classHistogram();
        for (int c = 0; c < whole.length; c++) {
            assertThat(train[c]).isEqualTo((int) Math.round(whole[c] * 0.75));
            assertThat(train[c] + heldOut[c]).isEqualTo(whole[c]);
        }
        assertThat(SAMPLE.stratifiedSplit(0.75, 1).train()).isEqualTo(split.train());

        TabularDataset data = indexed(500, 4);
        Split<TabularDataset> parts = data.stratifiedSplit(0.5, 3);
        assertThat(indicesOf(parts.train())).doesNotContainAnyElementsOf(indicesOf(parts.heldOut()));
        assertThat(parts.train().size() + parts.heldOut().size()).isEqualTo(500);
    }

    @Test
    void shuffledIsAPermutationFixedBySeed() {
        TabularDataset data = indexed(300, 3);
        TabularDataset shuffled = data.shuffled(5);
        assertThat(shuffled).isEqualTo(data.shuffled(5)).isNotEqualTo(data);
        assertThat(indicesOf(shuffled)).hasSize(300);
        assertThat(shuffled.classHistogram()).containsExactly(data.classHistogram());
    }

    @Test
    void subsetTakesTheFirstSamples() {
        ImageDataset ten = SAMPLE.subset(10);
        assertThat(ten.size()).isEqualTo(10);
        assertThat(ten.labels()).containsExactly(Arrays.copyOf(SAMPLE.labels(), 10));
        assertThat(ten.image(9)).containsExactly(SAMPLE.image(9));
        assertThatThrownBy(() -> SAMPLE.subset(1001)).hasMessageContaining("cannot take 1001 samples");
    }

    @Test
    void classHistogramCountsLabels() {
        int[] labels = SAMPLE.labels();
        int[] histogram = SAMPLE.classHistogram();
        for (int c = 0; c < histogram.length; c++) {
            int klass = c;
            assertThat(histogram[c]).isEqualTo((int) Arrays.stream(labels).filter(l -> l == klass).count());
        }
    }

    @Test
    void badSplitFractionsAreRejected() {
        assertThatThrownBy(() -> SAMPLE.split(1.0, 1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> SAMPLE.split(0, 1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> SAMPLE.split(Double.NaN, 1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> SAMPLE.subset(3).split(0.01, 1)).hasMessageContaining("leaves one part empty");
    }

    @Test
    void batchesCoverTheDatasetInOrder() {
        ImageDataset data = SAMPLE.subset(70);
        List<Batch> batches = new ArrayList<>();
        data.batches(32).forEach(batches::add);

        assertThat(batches).extracting(Batch::size).containsExactly(32, 32, 6);
        assertThat(batches).extracting(Batch::start).containsExactly(0, 32, 64);
        assertThat(batches.get(1).shape()).containsExactly(32, 1, 28, 28);
        assertThat(Arrays.copyOfRange(batches.get(1).features(), 784, 2 * 784)).containsExactly(data.image(33));
        assertThat(batches.get(2).labels()).containsExactly(Arrays.copyOfRange(data.labels(), 64, 70));

        List<Batch> full = new ArrayList<>();
        data.batches(32, true).forEach(full::add);
        assertThat(full).hasSize(2);
        assertThat(data.batchCount(32, true)).isEqualTo(2);
        assertThatThrownBy(() -> data.batches(0)).hasMessageContaining("batch size must be positive");
    }

    @Test
    void batchGathersScatteredSamplesInTheGivenOrder() {
        Batch batch = SAMPLE.batch(new int[] {500, 3, 500});
        assertThat(batch.start()).isEqualTo(-1);
        assertThat(batch.shape()).containsExactly(3, 1, 28, 28);
        assertThat(batch.labels()).containsExactly(SAMPLE.label(500), SAMPLE.label(3), SAMPLE.label(500));
        assertThat(Arrays.copyOfRange(batch.features(), 784, 2 * 784)).containsExactly(SAMPLE.image(3));
        assertThat(Arrays.copyOfRange(batch.features(), 2 * 784, 3 * 784)).containsExactly(SAMPLE.image(500));
        assertThatThrownBy(() -> SAMPLE.batch(new int[] {1000})).hasMessageContaining("sample 1000 is outside");
    }

    @Test
    void recordsRejectInconsistentShapes() {
        assertThatThrownBy(() -> new ImageDataset("x", new float[10], 1, 28, 28, new int[] {0}, List.of("a")))
                .hasMessageContaining("need 784 pixels, not 10");
        assertThatThrownBy(() -> new TextDataset("x", List.of("a", "b"), new int[] {0}, List.of("a")))
                .hasMessageContaining("2 texts but 1 labels");
        assertThatThrownBy(() -> new TabularDataset("x", new float[2], List.of("f"), new int[] {0, 3}, List.of("a")))
                .hasMessageContaining("label 3 of sample 1 is outside [0, 1)");
    }
}
