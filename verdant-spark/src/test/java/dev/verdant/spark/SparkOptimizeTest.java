package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.optimize.Objective;
import dev.verdant.optimize.OptimizeRequest;
import dev.verdant.optimize.Optimizer;
import dev.verdant.optimize.SearchBudget;
import dev.verdant.optimize.SearchListener;
import dev.verdant.optimize.Tolerance;
import dev.verdant.report.Result;
import dev.verdant.report.Search;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verdant optimize --spark local[2]} against the single-machine search on the same inputs: a small MLP on the
 * committed Fashion-MNIST sample, the original and two candidates really built, checked and timed (briefly) on the
 * executor.
 */
class SparkOptimizeTest {

    @TempDir
    Path dir;

    private OptimizeRequest request(Path model, Path work) {
        return new OptimizeRequest(ModelRef.ofFile(model), Datasets.FASHION_MNIST_SAMPLE,
                List.of(new Tolerance.AccuracyDrop(5, false)), Objective.SIZE,
                SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(2), List.of(1), 1, 16, BatchPadding.LONGEST,
                50, 200, Duration.ofMillis(100), work, work.resolve("best.onnx"), "test", null, Map.of(), null, null,
                QualitySpec.none());
    }

    @Test
    void onLocal2TheSearchFindsTheSameCandidatesQualitiesAndSizesAsOneMachine() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(EvaluationModels.mlp(64, 7), model);

        Result single = new Optimizer(Tracker.builder().build(), ProcessMemory.current(), SearchListener.none(),
                System::nanoTime).run(request(model, dir.resolve("single")));
        Path work = dir.resolve("spark");
        Result spark = new Optimizer(SparkCandidates.on("local[2]"), SearchListener.none(), System::nanoTime)
                .run(request(model, work));

        Search one = single.search();
        Search cluster = spark.search();
        assertThat(one.candidates()).hasSize(3);
        assertThat(one.candidates()).allMatch(Search.Candidate::succeeded);
        // everything but timings: the same candidates in the same order, the same accuracies and the same sizes
        assertThat(cluster.candidates()).extracting(Search.Candidate::id, Search.Candidate::error,
                        Search.Candidate::quality, Search.Candidate::facts)
                .containsExactlyElementsOf(one.candidates().stream()
                        .map(c -> tuple(c.id(), c.error(), c.quality(), c.facts()))
                        .toList());
        assertThat(cluster.points()).extracting(Search.Point::name, Search.Point::meetsTolerance)
                .containsExactlyElementsOf(one.points().stream()
                        .map(p -> tuple(p.name(), p.meetsTolerance())).toList());
        assertThat(one.candidates().get(1).quality().accuracy()).isNotNull();
        // the driver keeps the candidates' models, written from what the executor sent back
        for (Search.Candidate c : cluster.candidates()) {
            assertThat(Path.of(c.modelFile())).exists();
            assertThat(Files.size(Path.of(c.modelFile()))).isEqualTo(c.facts().bytes());
        }
        assertThat(work.resolve("best.onnx")).exists();

        assertThat(one.executors()).isNull();
        assertThat(cluster.executors().master()).isEqualTo("local[2]");
        assertThat(cluster.executors().hosts()).singleElement().asString().endsWith("(executor driver)");
        assertThat(cluster.executors().caveat()).contains("every executor must be the target hardware");
        assertThat(spark.notes()).anyMatch(n -> n.contains("target hardware") && n.contains("executor driver"));
        assertThat(Files.readString(work.resolve("report.json"))).contains("every executor must be the target "
                + "hardware");
    }

    @Test
    void anUnreachableMasterIsOneLineWithItsAddressBeforeAnyCandidate() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(EvaluationModels.mlp(8, 7), model);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        Path work = dir.resolve("unreachable");
        assertThatThrownBy(() -> new Optimizer(SparkCandidates.on(master), SearchListener.none(), System::nanoTime)
                .run(request(model, work)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot reach the Spark master " + master + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(work.resolve("state.json")).doesNotExist();
        assertThat(work.resolve("best.onnx")).doesNotExist();
    }
}
