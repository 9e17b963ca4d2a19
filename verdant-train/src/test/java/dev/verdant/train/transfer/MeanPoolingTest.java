package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtFeatureExtractor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pooling written into the graph against the definition computed here from MiniLM's token states: each text
 * alone (no padding) averaged over its tokens must equal the pooled output of the texts batched together with
 * padding, which only a correct attention-mask weighting gives.
 */
class MeanPoolingTest {

    @Test
    void pooledOutputIsTheMaskWeightedMeanOfTheTokenStates() {
        TextDataset glosses = Datasets.texts(Datasets.resolve(Datasets.WORDNET_NOUNS), Datasets.WORDNET_NOUNS)
                .loadAll().subset(4);
        assertThat(glosses.texts().stream().map(String::length).distinct().count()).isGreaterThan(1);
        ModelProto minilm = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        Optional<java.nio.file.Path> tokenizer = Optional.of(BuiltinModel.MINILM.tokenizerFile());
        TabularDataset pooled;
        try (OrtFeatureExtractor encoder = OrtFeatureExtractor.load(Backbone.ofEncoder(minilm).model(), 1,
                tokenizer, 128)) {
            pooled = encoder.extract(glosses, 4);
        }
        assertThat(pooled.featureSize()).isEqualTo(384);
        try (OrtFeatureExtractor tokens = OrtFeatureExtractor.load(minilm, 1, tokenizer, 128)) {
            for (int i = 0; i < glosses.size(); i++) {
                TabularDataset states = tokens.extract(glosses.subset(i + 1).select(new int[] {i}), 1);
                int tokenCount = states.featureSize() / 384;
                for (int h = 0; h < 384; h += 37) {
                    double mean = 0;
                    for (int t = 0; t < tokenCount; t++) {
                        mean += states.features()[t * 384 + h];
                    }
                    mean /= tokenCount;
                    assertThat((double) pooled.features()[i * 384 + h]).isCloseTo(mean, within(1e-4));
                }
            }
        }
    }
}
