package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.Split;
import dev.verdant.data.TextDataset;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.TokenEncoder;
import dev.verdant.train.fewshot.PoolSampler;
import dev.verdant.train.graph.CompileOptions;
import dev.verdant.train.graph.CompiledGraph;
import dev.verdant.train.graph.GraphInterpreter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 fine-tuned on real WordNet glosses (three noun supersenses, 16 training and 8 held-out glosses
 * each): the last encoder layer and the head train through the interpreter on tokenized text, every other weight
 * stays as pretrained, and ONNX Runtime gives the exported model's logits the interpreter computes.
 */
class TextTransferTest {

    private static final List<String> CLASSES = List.of("noun.animal", "noun.food", "noun.time");

    private static ModelProto minilm;
    private static TextDataset train;
    private static TextDataset test;

    @BeforeAll
    static void setUp() {
        TextDataset all = Datasets.texts(Datasets.resolve(Datasets.WORDNET_NOUNS), Datasets.WORDNET_NOUNS).loadAll();
        int[] indices = IntStream.range(0, all.size())
                .filter(i -> CLASSES.contains(all.classNames().get(all.label(i)))).toArray();
        TextDataset three = all.select(indices);
        int[] labels = java.util.Arrays.stream(three.labels())
                .map(l -> CLASSES.indexOf(three.classNames().get(l))).toArray();
        TextDataset pool = PoolSampler.capPerClass(new TextDataset("wordnet-3", three.texts(), labels, CLASSES), 24, 1);
        Split<TextDataset> split = pool.stratifiedSplit(2.0 / 3, 1);
        train = split.train();
        test = split.heldOut();
        minilm = OnnxModels.read(BuiltinModel.MINILM.modelFile());
    }

    @Test
    void unfreezingTheLastEncoderLayerTrainsItAndTheHeadOnlyAndOrtAgreesWithTheInterpreter() {
        TransferConfig config = TransferConfig.builder().optEpochs(3).optLearningRate(0.01f).optFinetuneEpochs(1)
                .optUnfreezeLast(1).optBatchSize(16).optThreads(1).optMaxTokens(48).build();
        TransferResult result;
        try (TrackedRun run = Tracker.start("test")) {
            result = new TransferLearner(config).fit(minilm, "minilm", train, test, run);
        }
        // the last encoder block's 16 weights (6 matrices, 6 biases, 2 layer norms' scale and shift) and nothing else
        assertThat(result.unfrozenParameters()).hasSize(16).contains("encoder.layer.5.output.LayerNorm.weight",
                "onnx::MatMul_962").noneMatch(name -> name.contains("layer.4") || name.startsWith("embeddings"));
        for (String name : List.of("embeddings.word_embeddings.weight", "encoder.layer.4.output.dense.bias",
                "onnx::MatMul_949")) {
            assertThat(rawData(result.model(), name)).as(name).isEqualTo(rawData(minilm, name));
        }
        for (String name : List.of("onnx::MatMul_962", "encoder.layer.5.output.LayerNorm.weight")) {
            assertThat(rawData(result.model(), name)).as(name).isNotEqualTo(rawData(minilm, name));
        }
        assertThat(result.finetuneEpochs()).hasSize(1);
        assertThat(result.energy().joules()).isPositive();

        // the written model reads MiniLM's three inputs; ONNX Runtime and the interpreter give the same logits on
        // real glosses batched with padding, and the accuracy reported is the file's in ONNX Runtime
        assertThat(OnnxGraph.of(result.model()).inputs()).extracting(v -> v.getName())
                .containsExactly("input_ids", "attention_mask", "token_type_ids");
        TokenizedTexts tokens = new TokenEncoder(BuiltinModel.MINILM.tokenizerFile(), 48).tokenize(test);
        TokenBatch batch = tokens.batch(0, 8);
        assertThat(batch.attentionMask()).contains(0L); // texts of different lengths: padding is exercised
        float[][] ort;
        try (OrtClassifier classifier = OrtClassifier.load(result.model(), 1)) {
            ort = classifier.logits(batch);
            assertThat(classifier.evaluate(tokens, 8).accuracy()).isEqualTo(result.accuracy());
        }
        try (CompiledGraph graph = GraphInterpreter.compile(result.model(), CompileOptions.defaults().frozen());
             NDManager manager = graph.manager().newSubManager()) {
            Map<String, NDArray> inputs = new LinkedHashMap<>();
            for (String name : graph.inputNames()) {
                inputs.put(name, manager.create(batch.values(name), new Shape(batch.shape())));
            }
            float[] logits = graph.forward(manager, inputs, false).get(graph.outputNames().get(0)).toFloatArray();
            for (int i = 0; i < batch.size(); i++) {
                for (int c = 0; c < CLASSES.size(); c++) {
                    assertThat(logits[i * CLASSES.size() + c]).isCloseTo(ort[i][c], within(2e-4f));
                }
            }
        }
    }

    @Test
    void scratchOfTheSameArchitectureStopsAtItsEnergyBudgetAndReportsABound() {
        TransferConfig config = TransferConfig.builder().optEpochs(2).optLearningRate(0.01f).optBatchSize(16)
                .optThreads(1).optMaxTokens(32).optCompareScratch(3).optScratchMaxJoules(1e-9)
                .optScratchTinyTransformer(true).build();
        TransferResult result;
        try (TrackedRun run = Tracker.start("test")) {
            result = new TransferLearner(config).fit(minilm, "minilm", train, test, run);
        }
        TransferResult.ScratchComparison scratch = result.scratch().orElseThrow();
        assertThat(scratch.reference()).startsWith("the transfer model's architecture (22,")
                .endsWith("weights), every weight re-drawn");
        assertThat(scratch.energy().joules()).isPositive();
        assertThat(scratch.energyRatio()).isCloseTo(result.energy().joules() / scratch.energy().joules(), within(1e-9));
        if (scratch.reached()) {
            assertThat(scratch.ratioBound()).isEqualTo("=");
        } else {
            // a budget this small ends the run after its first step: one partial epoch, a bound rather than a ratio
            assertThat(scratch.stoppedBy()).isEqualTo("energy budget");
            assertThat(scratch.steps()).isEqualTo(1);
            assertThat(scratch.ratioBound()).isEqualTo("<");
            assertThat(scratch.accuracy()).isLessThan(result.accuracy());
        }
        // the labelled secondary reference: the zoo's tiny transformer on the same texts, same budget
        TransferResult.ScratchComparison tiny = result.secondaryScratch().orElseThrow();
        assertThat(tiny.reference()).startsWith("secondary reference, NOT the same architecture: the zoo's tiny");
        assertThat(tiny.steps()).isBetween(1L, 3L * 2); // 32 glosses in 64-text batches: one step an epoch
        assertThat(tiny.energyRatio()).isCloseTo(result.energy().joules() / tiny.energy().joules(), within(1e-9));
        assertThat(result.scratch().get().reference()).isNotEqualTo(tiny.reference());
    }

    @Test
    void unfreezingMoreLayersThanTheEncoderHasIsOneLine() {
        TransferConfig config = TransferConfig.builder().optUnfreezeLast(7).build();
        try (TrackedRun run = Tracker.start("test")) {
            assertThatThrownBy(() -> new TransferLearner(config).fit(minilm, "minilm", train, test, run))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot unfreeze the last 7 layers: the backbone has 6 encoder layers before its cut");
        }
        assertThat(Backbone.ofEncoder(minilm).parametersOfLastLayers(6)).hasSize(6 * 16);
    }

    private static byte[] rawData(ModelProto model, String name) {
        TensorProto tensor = OnnxGraph.of(model).initializer(name).orElseThrow(() -> new AssertionError(name));
        return Tensors.toRawBytes(tensor);
    }
}
