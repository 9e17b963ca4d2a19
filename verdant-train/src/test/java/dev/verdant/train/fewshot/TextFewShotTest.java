package dev.verdant.train.fewshot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.TextDataset;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtFeatureExtractor;
import dev.verdant.train.transfer.Backbone;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A small WordNet subset (25 glosses of each of four supersenses): all-MiniLM-L6-v2's pooled embeddings against
 * bag-of-words, on the same 5-shot episodes.
 */
class TextFewShotTest {

    @Test
    void minilmEmbeddingsBeatBagOfWordsAtFiveShots() {
        TextDataset all = Datasets.texts(Datasets.resolve(Datasets.WORDNET_NOUNS), Datasets.WORDNET_NOUNS).loadAll();
        List<String> wanted = List.of("noun.animal", "noun.food", "noun.location", "noun.time");
        int[] indices = java.util.stream.IntStream.range(0, all.size())
                .filter(i -> wanted.contains(all.classNames().get(all.label(i)))).toArray();
        TextDataset four = all.select(indices);
        int[] labels = java.util.Arrays.stream(four.labels())
                .map(l -> wanted.indexOf(four.classNames().get(l))).toArray();
        TextDataset pool = PoolSampler.capPerClass(new TextDataset("four", four.texts(), labels, wanted), 25, 1);
        assertThat(pool.classHistogram()).containsOnly(25);

        ModelProto minilm = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        Embeddings embeddings;
        try (OrtFeatureExtractor encoder = OrtFeatureExtractor.load(Backbone.ofEncoder(minilm).model(), 1,
                Optional.of(BuiltinModel.MINILM.tokenizerFile()), 64)) {
            embeddings = Embeddings.of(encoder.extract(pool, 50));
        }
        BagOfWords words = BagOfWords.fit(pool.texts(), 5_000);
        assertThat(words.size()).isPositive().isLessThan(pool.size() * 10);
        EpisodeEvaluator evaluator = new EpisodeEvaluator(new EpisodeConfig(5, 10, 40, 0, 4));
        EpisodeResult minilmResult = evaluator.evaluate(new FewShotClassifier.Prototype(), "minilm", embeddings,
                Optional.empty());
        EpisodeResult bowResult = evaluator.evaluate(new FewShotClassifier.Prototype(), "bow", words.transform(pool),
                Optional.empty());
        assertThat(minilmResult.mean()).isGreaterThan(0.6);
        assertThat(minilmResult.low()).isGreaterThan(bowResult.high());
    }

    @Test
    void bagOfWordsKeepsWordsSeenInTwoTextsAndCountsThem() {
        BagOfWords words = BagOfWords.fit(List.of("a small dog", "a big dog dog", "the cat"), 100);
        assertThat(words.vocabulary()).containsOnlyKeys("a", "dog");
        TextDataset texts = new TextDataset("t", List.of("Dog, dog and a DOG"), new int[] {0}, List.of("x"));
        float[] vector = words.transform(texts).vectors()[0];
        assertThat(vector[words.vocabulary().get("dog")]).isEqualTo(3f);
        assertThat(vector[words.vocabulary().get("a")]).isEqualTo(1f);
    }
}
