package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.report.Search;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.StateLinks;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third kind of model: real inputs without labels, so every candidate is judged by its outputs' tolerances (the
 * default of each output's kind, or the stated ones), and the chosen model is checked again here in ONNX Runtime.
 */
class OutputsSearchTest {

    private static final int EXAMPLES = 40;

    @TempDir
    static Path shared;
    static Path lenet;
    static String input;
    static String output;
    static List<InputSample> samples;

    @TempDir
    Path work;

    @BeforeAll
    static void modelAndImages() {
        lenet = shared.resolve("lenet5.onnx");
        ModelProto model = Zoo.imageClassifier("lenet5", 10, 1.0, 7).build();
        OnnxModels.write(model, lenet);
        input = OnnxGraph.of(model).inputs().get(0).getName();
        output = OnnxGraph.of(model).outputs().get(0).getName();
        ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        samples = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            samples.add(InputSample.single("image " + i, Map.of(input,
                    InputTensor.ofFloats(new long[] {1, 1, 28, 28}, images.image(i)))));
        }
    }

    private OptimizeRequest request(Path folder, List<OutputTolerance> tolerances, MetricRegistry metrics) {
        return request(folder, tolerances, metrics, samples);
    }

    private OptimizeRequest request(Path folder, List<OutputTolerance> tolerances, MetricRegistry metrics,
            List<InputSample> examples) {
        return new OptimizeRequest(ModelRef.ofFile(lenet), null, List.of(), Objective.SIZE,
                SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(2), List.of(1), 8, 16, BatchPadding.LONGEST,
                20, 20, Duration.ofMillis(150), folder, folder.resolve("best.onnx"), "test", null, Map.of(),
                new InputSamples(EXAMPLES + " Fashion-MNIST images, no labels", examples), null,
                new QualitySpec(tolerances, StateLinks.none(), metrics));
    }

    private static Optimizer optimizer() {
        return new Optimizer(Tracker.builder().build(), ProcessMemory.current(), SearchListener.none(),
                System::nanoTime);
    }

    @Test
    void aModelWithoutLabelsIsJudgedByItsOutputsDefaultToleranceAndTheChoiceHoldsItInOnnxRuntime() {
        Search search;
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            search = optimizer().run(request(work, List.of(), metrics)).search();
        }

        assertThat(search.modelKind()).isEqualTo(Search.OUTPUTS);
        assertThat(search.tolerances()).containsExactly("every output within its kind's default tolerance");
        // the shrinking plans of the outputs' space come first for --objective size
        assertThat(search.candidates()).extracting(Search.Candidate::id)
                .containsExactly("original", "share:6bit", "share:5bit");
        assertThat(search.candidates()).filteredOn(c -> !c.original())
                .allSatisfy(c -> assertThat(c.quality().outputsHeld()).isNotNull());
        // the default of logits is top1-agree>=0.99: recomputed on the check images (the second half)
        Search.Candidate chosen = search.candidateOf(search.chosenPoint());
        double agreement = agreement(work.resolve("best.onnx"));
        assertThat(agreement).isGreaterThanOrEqualTo(0.99);
        assertThat(search.points()).filteredOn(p -> p.candidate().equals(chosen.id()))
                .allSatisfy(p -> assertThat(p.meetsTolerance()).isTrue());
        // each candidate's output line says whether its measure held, against the kind's default, and the console
        // says once that these lines are what 'met' is judged by
        assertThat(search.candidates()).filteredOn(c -> !c.original())
                .allSatisfy(c -> assertThat(c.quality().outputs()).singleElement().asString()
                        .endsWith(c.quality().outputsHeld() ? "(its kind's default >=0.99): held"
                                : "(its kind's default >=0.99): not held"));
        assertThat(dev.verdant.report.console.SearchText.candidates(search))
                .contains("'met' above is judged by: every output within its kind's default tolerance");
    }

    @Test
    void aStatedToleranceNoCandidateMeetsLeavesTheOriginal() {
        Search search;
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            search = optimizer().run(request(work, List.of(OutputTolerance.parse(output + "=max-abs<=0")), metrics))
                    .search();
        }

        assertThat(search.tolerances()).containsExactly("outputs within " + output + "=max-abs<=0");
        assertThat(search.candidates()).filteredOn(c -> !c.original())
                .allSatisfy(c -> assertThat(c.quality().outputsHeld()).isFalse());
        assertThat(search.candidateOf(search.chosenPoint()).original()).isTrue();
        // nothing qualified: each candidate still says what its output measured against what it needed
        assertThat(search.candidates()).filteredOn(c -> !c.original() && c.succeeded())
                .allSatisfy(c -> assertThat(c.quality().outputs()).singleElement().asString()
                        .matches(java.util.regex.Pattern.quote(output) + " max-abs \\d+\\.\\d{4} \\(needs <=0\\): not held"));
        assertThat(dev.verdant.report.console.SearchText.candidates(search)).contains(output + " max-abs ");
    }

    @Test
    void aSearchResumedOnInputsWhoseValuesChangedIsRefusedThoughTheirDescriptionIsTheSame() {
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            optimizer().run(request(work, List.of(), metrics));
            List<InputSample> reordered = new ArrayList<>(samples);
            java.util.Collections.reverse(reordered);

            // same files' count and description, other values in the calibration and check halves
            assertThatThrownBy(() -> optimizer().run(request(work, List.of(), metrics, reordered)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("choose another --work folder");
            // the same inputs again resume
            assertThat(optimizer().run(request(work, List.of(), metrics)).search().candidates()).isNotEmpty();
        }
    }

    @Test
    void anUnknownOutputIsRefusedBeforeAnyCandidate() {
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            assertThatThrownBy(() -> optimizer().run(request(work, List.of(OutputTolerance.parse(
                    output + "s=cos>=0.9")), metrics)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("did you mean '" + output + "'");
        }
        assertThat(work.resolve("best.onnx")).doesNotExist();
    }

    /** The share of check images whose argmax the written model keeps. */
    private static double agreement(Path written) {
        int agree = 0;
        int total = 0;
        try (OrtRunner before = OrtRunner.open(OnnxModels.read(lenet), SessionSpec.threads(1));
                OrtRunner after = OrtRunner.open(OnnxModels.read(written), SessionSpec.threads(1))) {
            for (InputSample sample : samples.subList(EXAMPLES / 2, EXAMPLES)) {
                float[] a = before.run(sample.steps().get(0)).get(output).values();
                float[] b = after.run(sample.steps().get(0)).get(output).values();
                agree += argmax(a) == argmax(b) ? 1 : 0;
                total++;
            }
        }
        return (double) agree / total;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
