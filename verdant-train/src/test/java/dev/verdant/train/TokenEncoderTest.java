package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.train.zoo.TransformerClassifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEncoderTest {

    private final TokenEncoder encoder = new TokenEncoder(BuiltinModel.MINILM.tokenizerFile(), 12);

    @Test
    void encodesWithClsSepAndPaddingAndKnowsTheVocabulary() {
        assertThat(encoder.vocabularySize()).isEqualTo(30_522);
        TextDataset texts = new TextDataset("t", List.of("a big dog", "the quick brown fox jumps over the lazy dog again and again"),
                new int[] {0, 1}, List.of("short", "long"));
        TabularDataset ids = encoder.encode(texts);
        assertThat(ids.sampleShape()).containsExactly(12);
        float[] first = ids.sample(0);
        assertThat(first[0]).isEqualTo(101f);  // [CLS]
        assertThat(first[4]).isEqualTo(102f);  // [SEP] after three words
        assertThat(first[11]).isEqualTo(0f);   // [PAD]
        assertThat(ids.sample(1)[11]).isEqualTo(102f); // truncated, still ends with [SEP]
        assertThat(ids.labels()).containsExactly(0, 1);
    }

    /** Two classes told apart by their words: the tiny transformer learns them from scratch in a few epochs. */
    @Test
    void theTinyTransformerLearnsToSeparateTwoKindsOfSentences() {
        String[] animals = {"dog", "cat", "horse", "cow", "sheep", "goat", "bird", "fish"};
        String[] tools = {"hammer", "saw", "drill", "wrench", "chisel", "pliers", "screwdriver", "file"};
        List<String> sentences = new ArrayList<>();
        int[] labels = new int[256];
        for (int i = 0; i < 256; i++) {
            String[] words = i % 2 == 0 ? animals : tools;
            sentences.add("the " + words[i % 8] + " and the " + words[(i / 8) % 8] + " are here");
            labels[i] = i % 2;
        }
        TabularDataset all = encoder.encode(new TextDataset("toy", sentences, labels, List.of("animal", "tool")));
        var split = all.stratifiedSplit(0.75, 1);
        TransformerClassifier model = new TransformerClassifier(encoder.vocabularySize(), 12, 32, 2, 1, 64, 2, 1);
        TrainConfig config = TrainConfig.builder().setEpochs(3).optBatchSize(16).optLearningRate(3e-3f).build();
        TrainingResult result = new Trainer(config).fit(model.build(), "zoo:transformer", split.train(), split.heldOut());
        assertThat(result.finalAccuracy()).isGreaterThan(0.9);
    }
}
