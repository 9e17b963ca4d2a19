package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.verdant.compress.QualitySpec;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.energy.Tracker;
import dev.verdant.io.Json;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.Report;
import dev.verdant.report.ReportJson;
import dev.verdant.report.Search;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real searches on a tiny zoo model (LeNet-5 with its seeded weights) over the committed Fashion-MNIST sample: each
 * candidate is really compressed, checked in ONNX Runtime and timed, only briefly.
 */
class OptimizerTest {

    private static final int CALIBRATION = 100;
    private static final int CHECK = 300;
    private static final Tolerance FIVE_POINTS = new Tolerance.AccuracyDrop(5, false);

    /** The order the size objective tries plans for a classifier. */
    private static final List<String> ORDER = SearchSpace.fixedPlans(SearchSpace.ModelKind.CLASSIFIER, Objective.SIZE)
            .stream().map(CandidatePlan::id).toList();

    @TempDir
    static Path shared;
    static Path lenet;

    @TempDir
    Path work;

    @BeforeAll
    static void writeModel() {
        lenet = shared.resolve("lenet5.onnx");
        OnnxModels.write(Zoo.imageClassifier("lenet5", 10, 1.0, 7).build(), lenet);
    }

    private OptimizeRequest request(Path folder, SearchBudget budget) {
        return new OptimizeRequest(ModelRef.ofFile(lenet), Datasets.FASHION_MNIST_SAMPLE, List.of(FIVE_POINTS),
                Objective.SIZE, budget, List.of(1), 1, 16, BatchPadding.LONGEST, CALIBRATION, CHECK, Duration.ofMillis(150), folder,
                folder.resolve("best.onnx"), "test", null, Map.of(), null, null, QualitySpec.none());
    }

    private static Optimizer optimizer(SearchListener listener, LongSupplier clock) {
        return new Optimizer(Tracker.builder().build(), ProcessMemory.current(), listener, clock);
    }

    @Test
    void buildsNoMoreCandidatesThanTheCapAndWritesAChosenModelThatMeetsTheToleranceInOnnxRuntime() throws Exception {
        Search result = optimizer(SearchListener.none(), System::nanoTime)
                .run(request(work, SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(2))).search();

        SearchState state = SearchState.load(work, fingerprintOf(work));
        // the original, then the first two plans of the search order, and nothing more
        assertThat(state.candidates()).extracting(c -> c.plan().id()).containsExactlyElementsOf(ORDER.subList(0, 3));
        assertThat(result.skipped()).isNotEmpty().doesNotContainAnyElementsOf(ORDER.subList(0, 3));
        assertThat(result.built()).isEqualTo(3);

        // the size objective picks an int8 model (4x smaller) whenever one keeps the tolerance
        Search.Point chosen = result.chosenPoint();
        assertThat(chosen.meetsTolerance()).isTrue();
        assertThat(result.points().stream().filter(Search.Point::meetsTolerance)
                .mapToLong(p -> result.candidateOf(p).facts().bytes()).min().getAsLong())
                .isEqualTo(result.candidateOf(chosen).facts().bytes());

        // re-check the written file in ONNX Runtime on the very examples the search checked: the sample has no
        // predefined parts, so the first of the held-out part of the seeded split (seed 1) that training uses
        ImageDataset heldOut = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE)
                .trainTest(dev.verdant.data.DataSource.DEFAULT_HELD_OUT_FRACTION, 1).heldOut();
        ImageDataset check = heldOut.select(IntStream.range(0, Math.min(CHECK, heldOut.size())).toArray());
        ModelProto written = OnnxModels.read(Path.of(result.modelOut()));
        double original = accuracy(OnnxModels.read(lenet), check);
        double optimized = accuracy(written, check);
        assertThat((original - optimized) * 100).isLessThanOrEqualTo(5.0);
        assertThat(result.candidateOf(chosen).quality().accuracy()).isCloseTo(optimized, org.assertj.core.data.Offset
                .offset(1e-9));
        Map<String, String> metadata = written.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertThat(metadata).containsEntry("verdant.optimize.candidate", chosen.candidate())
                .containsEntry("verdant.optimize.threads", "1").containsEntry("verdant.optimize.objective", "size");

        // the report: every operating point a candidate, the chart, the chosen model's card
        Report report = ReportJson.read(Path.of(result.reportJson()));
        assertThat(report.candidates()).hasSize(result.points().size());
        assertThat(report.card().model()).isEqualTo(chosen.name());
        assertThat(report.layers()).isNotEmpty().allSatisfy(layer -> assertThat(layer.bits()).isLessThan(32));
        assertThat(Files.readString(Path.of(result.reportHtml()))).contains("pareto-chart");
    }

    @Test
    void aRerunSkipsFinishedCandidatesAndKeepsTheirFigures() {
        optimizer(SearchListener.none(), System::nanoTime)
                .run(request(work, SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(1)));
        SearchState first = SearchState.load(work, fingerprintOf(work));
        assertThat(first.candidates()).hasSize(2);

        List<String> started = new ArrayList<>();
        int[] resumed = {-1};
        SearchListener recorder = new SearchListener() {
            @Override
            public void searchStarted(int resumedCount, int planned) {
                resumed[0] = resumedCount;
            }

            @Override
            public void candidateStarted(CandidatePlan plan, int done, int planned) {
                started.add(plan.id());
            }
        };
        Search second = optimizer(recorder, System::nanoTime)
                .run(request(work, SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(1))).search();

        assertThat(resumed[0]).isEqualTo(2);
        assertThat(started).containsExactly(ORDER.get(2));
        SearchState after = SearchState.load(work, fingerprintOf(work));
        assertThat(after.candidates()).hasSize(3);
        // the resumed results are the recorded ones, not measured again
        assertThat(after.candidates().subList(0, 2)).isEqualTo(first.candidates());
        assertThat(second.resumed()).isEqualTo(2);
    }

    @Test
    void aBrokenInt8CandidateIsFollowedByItsMostSensitiveLayersKeptInFloat() {
        // a cosine bar on the logits no int8 model reaches, so int8-static breaks it whatever the numerics
        OptimizeRequest strict = new OptimizeRequest(ModelRef.ofFile(lenet), Datasets.FASHION_MNIST_SAMPLE,
                List.of(new Tolerance.MinFidelity(0.999999)), Objective.ENERGY,
                SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(3), List.of(1), 1, 16, BatchPadding.LONGEST, CALIBRATION, 100,
                Duration.ofMillis(100), work, work.resolve("best.onnx"), "test", null, Map.of(), null, null, QualitySpec.none());
        Search result = optimizer(SearchListener.none(), System::nanoTime).run(strict).search();

        // what the search knows of each candidate beyond the result (the ranked nodes, the plan) is in its state file
        List<CandidateResult> candidates = SearchState.load(work, fingerprintOf(work)).candidates();
        assertThat(candidates).extracting(c -> c.plan().id()).containsExactly("original", "int8-static",
                "int8-static keep-float=1", "int8-static keep-float=2");
        List<String> ranked = candidates.get(1).sensitiveNodes();
        assertThat(ranked).hasSizeGreaterThanOrEqualTo(3);   // LeNet-5's two Convs and three Gemms, ranked
        assertThat(candidates.get(2).plan().keepFloat()).containsExactly(ranked.get(0));
        assertThat(candidates.get(3).plan().keepFloat()).containsExactlyElementsOf(ranked.subList(0, 2));
        // keeping a layer in float keeps its weights in float: the file grows
        assertThat(candidates.get(3).facts().bytes()).isGreaterThan(candidates.get(1).facts().bytes());
        assertThat(result.candidateOf(result.chosenPoint()).original()).isTrue();
    }

    @Test
    void aSpentTimeBudgetMeasuresOnlyTheOriginal() {
        AtomicLong now = new AtomicLong();
        // every reading of the clock moves it on by a minute: the one-minute budget is gone after the original
        LongSupplier clock = () -> now.addAndGet(60_000_000_000L);
        Search result = optimizer(SearchListener.none(), clock)
                .run(request(work, SearchBudget.of(Duration.ofMinutes(1)))).search();
        assertThat(result.candidates()).extracting(Search.Candidate::id).containsExactly("original");
        assertThat(result.candidateOf(result.chosenPoint()).original()).isTrue();
        assertThat(result.skipped()).containsExactlyElementsOf(ORDER.subList(1, ORDER.size()));
        assertThat(Files.exists(Path.of(result.modelOut()))).isTrue();
    }

    @Test
    void refusesAWorkFolderHoldingAnotherSearch() {
        SearchState.empty("model elsewhere; other settings").save(work);
        assertThatThrownBy(() -> optimizer(SearchListener.none(), System::nanoTime)
                .run(request(work, SearchBudget.of(Duration.ofMinutes(1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another model or other settings");
        assertThat(work.resolve("best.onnx")).doesNotExist();
    }

    @Test
    void badInputFailsBeforeAnyWork() {
        OptimizeRequest overInput = new OptimizeRequest(ModelRef.ofFile(lenet), Datasets.FASHION_MNIST_SAMPLE,
                List.of(), Objective.ENERGY, SearchBudget.of(Duration.ofMinutes(1)), List.of(1), 1, 16, BatchPadding.LONGEST, 10, 10,
                Duration.ofMillis(100), work, lenet, "test", null, Map.of(), null, null, QualitySpec.none());
        assertThatThrownBy(() -> optimizer(SearchListener.none(), System::nanoTime).run(overInput))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to overwrite the input");
        OptimizeRequest noData = new OptimizeRequest(ModelRef.ofFile(lenet), null, List.of(), Objective.ENERGY,
                SearchBudget.of(Duration.ofMinutes(1)), List.of(1), 1, 16, BatchPadding.LONGEST, 10, 10, Duration.ofMillis(100), work,
                work.resolve("best.onnx"), "test", null, Map.of(), null, null, QualitySpec.none());
        assertThatThrownBy(() -> optimizer(SearchListener.none(), System::nanoTime).run(noData))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--data is required");
        assertThat(work.resolve(SearchState.FILE_NAME)).doesNotExist();
    }

    /** The fingerprint the state file in {@code folder} records (read back, so the test does not restate it). */
    private static String fingerprintOf(Path folder) {
        try {
            return Json.mapper().readTree(folder.resolve(SearchState.FILE_NAME).toFile()).path("fingerprint")
                    .asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double accuracy(ModelProto model, ImageDataset data) {
        try (OrtClassifier classifier = OrtClassifier.load(model, 1)) {
            return classifier.evaluate(data, 16).accuracy();
        }
    }
}
