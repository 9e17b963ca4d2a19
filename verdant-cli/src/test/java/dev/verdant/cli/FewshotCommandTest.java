package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.LeNet5;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdant fewshot} on the committed digits and Fashion-MNIST samples: the report and the one-line errors. */
class FewshotCommandTest {

    @TempDir
    Path folder;

    @Test
    void scoresEpisodesWithAnIntervalAgainstRawPixels() throws Exception {
        Path backbone = folder.resolve("lenet5.onnx");
        OnnxModels.write(LeNet5.standard(4).build(), backbone);
        CliRun run = CliRun.of("fewshot", "--backbone", backbone.toString(), "--support", "mnist-digits-sample",
                "--shots", "5", "--queries", "5", "--episodes", "20", "--classifier", "logreg", "--threads", "1",
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        assertThat(report.get("ways").asInt()).isEqualTo(10);
        assertThat(report.get("pool_size").asInt()).isEqualTo(200);
        for (String key : new String[] {"embedding", "baseline"}) {
            JsonNode result = report.get(key).get("result");
            double mean = result.get("mean").asDouble();
            assertThat(mean).as(key).isGreaterThan(0.3); // 10-way: chance is 0.1
            assertThat(result.get("accuracies")).hasSize(20);
            assertThat(result.get("half_width").asDouble()).isPositive().isLessThan(mean);
            assertThat(report.get(key).get("energy").get("joules").asDouble()).isPositive();
        }
        assertThat(report.get("baseline").get("result").get("features").asText()).isEqualTo("raw pixels");
        assertThat(report.get("interval_method").asText()).contains("Student's t");
    }

    @Test
    void tooFewExamplesPerClassIsOneLine() {
        CliRun run = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns", "--shots", "30",
                "--queries", "15", "--per-class", "100");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).startsWith("verdant: too few examples per class for 30-shot episodes")
                .contains("'noun.motive' (").doesNotContain("\n");
    }

    @Test
    void mismatchesAreOneLineErrors() {
        CliRun perClass = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns", "--shots", "5",
                "--per-class", "10");
        assertThat(perClass.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(perClass.err()).contains("--per-class 10 keeps too few examples per class");

        CliRun images = CliRun.of("fewshot", "--backbone", "minilm", "--support", "fashion-mnist-sample", "--shots", "1");
        assertThat(images.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(images.err()).contains("this needs labelled texts");

        CliRun cut = CliRun.of("fewshot", "--backbone", "minilm", "--cut", "nowhere", "--support", "wordnet-nouns",
                "--shots", "1");
        assertThat(cut.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(cut.err()).contains("is cut at its mean-pooled output");
    }
}
