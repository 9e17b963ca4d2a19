package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.LeNet5;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
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
    void comparesWithTheSameArchitectureTrainedFromScratch() throws Exception {
        Path backbone = folder.resolve("lenet5.onnx");
        OnnxModels.write(LeNet5.standard(4).build(), backbone);
        CliRun run = CliRun.of("fewshot", "--backbone", backbone.toString(), "--support", "mnist-digits-sample",
                "--shots", "5", "--queries", "5", "--episodes", "10", "--threads", "1", "--no-baseline",
                "--compare-scratch", "--scratch-max-epochs", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        JsonNode scratch = report.get("scratch");
        JsonNode comparison = scratch.get("comparison");
        int epochs = comparison.get("epochs").asInt();
        assertThat(epochs).isBetween(1, 2);
        assertThat(comparison.get("accuracy_by_epoch")).hasSize(epochs);
        assertThat(comparison.get("accuracy").asDouble()).isBetween(0.0, 1.0)
                .isEqualTo(comparison.get("accuracy_by_epoch").get(epochs - 1).asDouble());
        // 200 digits, no --query: half trains, the other half scores
        assertThat(scratch.get("trained_on").asText()).contains("(100)");
        assertThat(scratch.get("evaluated_on").asText()).contains("(100)");
        double scratchJoules = comparison.get("energy").get("joules").asDouble();
        assertThat(scratchJoules).isPositive();
        assertThat(comparison.get("energy").get("method").asText()).isIn("measured", "estimated");
        double fewShotJoules = report.get("embedding").get("energy").get("joules").asDouble();
        assertThat(comparison.get("energy_ratio").asDouble()).isCloseTo(fewShotJoules / scratchJoules,
                Percentage.withPercentage(1e-9));
        // the scratch run is part of the run's total
        assertThat(report.get("total").get("joules").asDouble()).isGreaterThan(scratchJoules + fewShotJoules * 0.99);

        CliRun table = CliRun.of("fewshot", "--backbone", backbone.toString(), "--support", "fashion-mnist-sample",
                "--shots", "1", "--queries", "5", "--episodes", "5", "--threads", "1", "--no-baseline",
                "--compare-scratch", "--scratch-max-epochs", "1");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("from scratch on half of the pool").contains("after 1 epoch(s)")
                .contains("Measured energy ratio few-shot/scratch: ");
    }

    @Test
    void aTokenEncoderIsComparedWithItsArchitectureFromScratchWithinAnEnergyBudget() throws Exception {
        // 26 WordNet supersenses, 4 glosses each: 1-shot episodes with 1 query, then MiniLM's architecture with a
        // linear head, every weight re-drawn, trained on half the pool until a budget this small stops it
        CliRun run = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns", "--shots", "1",
                "--queries", "1", "--episodes", "5", "--per-class", "4", "--max-tokens", "24", "--threads", "1",
                "--no-baseline", "--compare-scratch", "--scratch-max-joules", "0.000001", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode comparison = Json.mapper().readTree(run.out()).get("scratch").get("comparison");
        assertThat(comparison.get("reference").asText()).startsWith("the backbone's architecture with a linear head (22,");
        assertThat(comparison.get("max_joules").asDouble()).isEqualTo(1e-6);
        assertThat(comparison.get("energy").get("joules").asDouble()).isPositive();
        if (!comparison.get("reached").asBoolean()) {
            assertThat(comparison.get("stopped_by").asText()).isEqualTo("energy budget");
            assertThat(comparison.get("steps").asLong()).isEqualTo(1);
            assertThat(comparison.get("ratio_bound").asText()).isEqualTo("<");
        }

        CliRun cap = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns", "--shots", "5",
                "--compare-scratch", "--scratch-max-epochs", "0");
        assertThat(cap.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(cap.err()).contains("--scratch-max-epochs must be at least 1, got 0");
        CliRun joules = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns", "--shots", "5",
                "--compare-scratch", "--scratch-max-joules", "-1");
        assertThat(joules.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(joules.err().strip()).isEqualTo("verdant: --scratch-max-joules must be a finite number >= 0, got -1.0");
    }

    @Test
    void aBuiltInEncoderReadsWithItsOwnTokenizerAndAFileNeedsOne() throws Exception {
        // e5-small-v2 has its own vocabulary: it must not be read with MiniLM's (the old default for any encoder)
        CliRun e5 = CliRun.of("fewshot", "--backbone", "e5-small", "--support", "wordnet-nouns-sample", "--shots", "1",
                "--queries", "1", "--episodes", "3", "--per-class", "4", "--max-tokens", "16", "--threads", "1",
                "--no-baseline", "--json");
        assertThat(e5.exitCode()).as(e5.err()).isZero();
        assertThat(Json.mapper().readTree(e5.out()).get("ways").asInt()).isPositive();

        Path copy = folder.resolve("encoder.onnx");
        java.nio.file.Files.copy(dev.verdant.onnx.BuiltinModel.MINILM.modelFile(), copy);
        CliRun file = CliRun.of("fewshot", "--backbone", copy.toString(), "--support", "wordnet-nouns-sample",
                "--shots", "1", "--queries", "1", "--per-class", "4");
        assertThat(file.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(file.err().strip()).isEqualTo("verdant: --backbone " + copy + " is a token encoder: pass its "
                + "tokenizer.json with --tokenizer");
    }

    @Test
    void tooFewExamplesPerClassIsOneLine() {
        // the bundled sample, so that no note of a fallback to it comes before the error on a bare machine
        CliRun run = CliRun.of("fewshot", "--backbone", "minilm", "--support", "wordnet-nouns-sample", "--shots", "30",
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
