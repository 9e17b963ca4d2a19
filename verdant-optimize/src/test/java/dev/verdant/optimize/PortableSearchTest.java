package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.optimize.SearchSpace.ModelKind;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.runtime.FeatureFeed;
import dev.verdant.runtime.StateLinks;
import dev.verdant.train.zoo.Zoo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search's context sent to another JVM: Java-serialized, opened in another folder, as a Spark task gets it. */
class PortableSearchTest {

    @TempDir
    Path dir;

    private SearchContext context(QualitySpec quality) {
        Path model = dir.resolve("lenet5.onnx");
        OnnxModels.write(Zoo.imageClassifier("lenet5", 10, 1.0, 7).build(), model);
        OptimizeRequest request = new OptimizeRequest(ModelRef.ofFile(model), Datasets.FASHION_MNIST_SAMPLE,
                List.of(new Tolerance.AccuracyDrop(2, false)), Objective.SIZE, SearchBudget.of(Duration.ofMinutes(5)),
                List.of(1, 2), 4, 16, BatchPadding.LONGEST, 30, 60, Duration.ofMillis(250), dir.resolve("work"),
                dir.resolve("best.onnx"), "test", null, Map.of(), null, null, quality);
        return new SearchContext(request, ModelKind.CLASSIFIER, request.tolerances(),
                SearchContext.feed(request, ModelKind.CLASSIFIER), dir.resolve("work/candidates"));
    }

    @Test
    void itTravelsAsBytesAndOpensAsTheSameSearchInAnotherFolder() throws Exception {
        SearchContext here = context(QualitySpec.none());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(PortableSearch.of(here, "--spark"));
        }
        PortableSearch sent;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            sent = (PortableSearch) in.readObject();
        }
        Path there = Files.createDirectories(dir.resolve("executor"));
        SearchContext opened = sent.open(there);

        OptimizeRequest a = here.request();
        OptimizeRequest b = opened.request();
        assertThat(Files.readAllBytes(b.model().file())).isEqualTo(Files.readAllBytes(a.model().file()));
        assertThat(b.model().file().getParent()).isEqualTo(there);
        assertThat(b.model().name()).isEqualTo(a.model().name());
        assertThat(opened.kind()).isEqualTo(ModelKind.CLASSIFIER);
        assertThat(opened.tolerances()).isEqualTo(here.tolerances());
        assertThat(opened.candidateFolder()).isEqualTo(there);
        assertThat(List.of(b.data(), b.threads(), b.batchSize(), b.sequenceLength(), b.padding(), b.calibration(),
                b.checkExamples(), b.measureTime(), b.version())).isEqualTo(List.of(a.data(), a.threads(),
                a.batchSize(), a.sequenceLength(), a.padding(), a.calibration(), a.checkExamples(), a.measureTime(),
                a.version()));
        // the same real samples timed, drawn by the same seed
        assertThat(opened.feed()).isInstanceOf(FeatureFeed.class).isEqualTo(here.feed());
    }

    @Test
    void whatDoesNotTravelIsOneLineNamingTheOption() {
        QualitySpec perOutput = new QualitySpec(List.of(OutputTolerance.parse("logits=cosine>=0.9")),
                StateLinks.none(), MetricRegistry.standard());
        assertThatThrownBy(() -> PortableSearch.of(context(perOutput), "--spark"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--spark takes a search on --data")
                .hasMessageContaining("--tolerance")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
