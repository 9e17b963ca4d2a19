package dev.verdant.compress.structured;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.report.Compression;
import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.Recipe;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.train.graph.CompileOptions;
import dev.verdant.train.graph.CompiledGraph;
import dev.verdant.train.graph.GraphInterpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a pruned real all-MiniLM-L6-v2 by distilling the original's embeddings, on a few dozen real WordNet
 * glosses for one epoch, judged on glosses it never saw; and {@code prune-structured:F} on an encoder through the
 * compressor without {@code --data}.
 */
class EncoderDistillationTest {

    private static final int SEQUENCE = 48;

    @Test
    void fineTuningBeatsReconstructionAloneOnHeldOutTextAndOnnxRuntimeAgreesWithTheInterpreter(@TempDir Path dir) {
        ModelProto minilm = MiniLmFixture.model();
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        // batches of 8: a quarter (3 batches) fits the least squares, 8 train, 1 is held out of training
        List<CalibrationSample> texts = EncoderInputs.batches(minilm, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(0, 96), 8, SEQUENCE);
        List<CalibrationSample> heldOut = EncoderInputs.batches(minilm, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(1000, 1032), 16, SEQUENCE);
        ModelProto reconstructedOnly = new TransformerStructuredPruner(
                new TransformerStructuredPruner.Options(0.5, 0.5, true), 2)
                .prune(minilm, texts.subList(0, EncoderDistillation.reconstructionShare(texts.size()))).model();

        PassOutput output = TransformerStructuredPruningPass.parse("ffn=0.5,heads=0.5,epochs=1,lr=1e-4", 2)
                .apply(minilm, new PassContext(texts, 1L));

        assertThat(output.facts()).containsEntry("calibrationBatches", 3);
        @SuppressWarnings("unchecked")
        Map<String, Object> finetune = (Map<String, Object>) output.facts().get("finetune");
        assertThat(finetune).containsEntry("trainingTexts", 64).containsEntry("heldOutTexts", 8)
                .containsEntry("steps", 8L).containsKeys("energyJoules", "energyMethod");
        assertThat((double) finetune.get("heldOutMeanCosineAfter"))
                .isGreaterThan((double) finetune.get("heldOutMeanCosineBefore"));
        Fidelity reconstruction = MiniLmFixture.compare(minilm, reconstructedOnly, heldOut);
        Fidelity fineTuned = MiniLmFixture.compare(minilm, output.model(), heldOut);
        assertThat(1 - fineTuned.meanCosine()).isLessThan(1 - reconstruction.meanCosine());
        assertThat(fineTuned.minCosine()).isGreaterThan(reconstruction.minCosine());

        Path written = dir.resolve("tuned.onnx");
        OnnxModels.write(output.model(), written);
        ModelProto reread = OnnxModels.read(written.toString());
        CalibrationSample batch = heldOut.get(0);
        float[] expected;
        try (OrtRunner ort = OrtRunner.open(reread, SessionSpec.threads(2))) {
            expected = ort.run(batch.inputs()).values().iterator().next().values();
        }
        try (CompiledGraph graph = GraphInterpreter.compile(reread, CompileOptions.defaults());
                NDManager manager = graph.manager().newSubManager()) {
            Map<String, NDArray> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, InputTensor> input : batch.inputs().entrySet()) {
                inputs.put(input.getKey(), manager.create(input.getValue().longs(), new Shape(input.getValue().shape())));
            }
            float[] actual = graph.forward(manager, inputs, false).get(graph.outputNames().get(0)).toFloatArray();
            assertThat(actual).hasSameSizeAs(expected);
            double maxDiff = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            }
            assertThat(maxDiff).isLessThan(1e-3);
        }
    }

    @Test
    void plainFractionOnAnEncoderIsPrunedWithoutData(@TempDir Path dir) {
        Path out = dir.resolve("pruned.onnx");
        CompressionRequest request = CompressionRequest.builder(BuiltinModel.MINILM.name().toLowerCase(), out,
                Recipe.parse("prune-structured:0.5")).optExamples(16, 16).optSequenceLength(SEQUENCE)
                .optLatencyRounds(0).optMeasureEnergy(false).optVersion("test").build();
        Compression report = Compressor.run(request).compression();

        assertThat(Files.exists(out)).isTrue();
        assertThat(report.steps()).singleElement().satisfies(step -> {
            assertThat(step.facts()).containsEntry("headsKept", "36/72");
            assertThat(step.facts()).doesNotContainKey("finetune");
        });
    }
}
