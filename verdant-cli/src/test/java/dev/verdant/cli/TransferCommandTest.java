package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.transfer.Head;
import dev.verdant.train.zoo.LeNet5;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verdant transfer} from a seeded LeNet-5 to the committed Fashion-MNIST sample: the report, the written
 * model, and the one-line errors (exit 2) for a missing cut, a class count, a head and data that do not fit.
 */
class TransferCommandTest {

    @TempDir
    Path folder;

    private Path backbone;

    @BeforeEach
    void writeBackbone() {
        backbone = folder.resolve("lenet5.onnx");
        OnnxModels.write(LeNet5.standard(4).build(), backbone);
    }

    @Test
    void transfersAndReportsTheEnergyAgainstScratch() throws Exception {
        Path out = folder.resolve("fashion.onnx");
        CliRun run = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--cut", "Flatten", "--head", "mlp:16", "--epochs", "2", "--threads", "1",
                "--compare-scratch", "--scratch-max-epochs", "1", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        assertThat(report.get("cut").asText()).isEqualTo("Flatten");
        assertThat(report.get("feature_shape").get(0).asInt()).isEqualTo(400);
        assertThat(report.get("energy").get("joules").asDouble()).isPositive();
        assertThat(report.get("energy").get("method").asText()).isIn("measured", "estimated");
        JsonNode scratch = report.get("scratch");
        assertThat(scratch.get("epochs").asInt()).isEqualTo(1);
        assertThat(scratch.get("energy_ratio").asDouble()).isCloseTo(report.get("energy").get("joules").asDouble()
                / scratch.get("energy").get("joules").asDouble(), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(OnnxGraph.of(OnnxModels.read(out)).metadata()).containsEntry("verdant.transfer.cut", "Flatten")
                .containsEntry("verdant.transfer.backbone", "lenet5.onnx");
    }

    @Test
    void withoutACutTheSettingsLeftUnsetAreChosenOnValidationAndSaid() throws Exception {
        Path out = folder.resolve("chosen.onnx");
        CliRun run = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--lr", "0.02", "--epochs", "2", "--threads", "1", "--out", out.toString(),
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        JsonNode settings = report.get("settings");
        // the rate and the epochs were given: only the cut and the head are chosen, every trial at the given rate
        assertThat(settings.get("chosen").toString()).isEqualTo("[\"cut\",\"head\"]");
        assertThat(settings.get("trials")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.get("learning_rate").floatValue()).isEqualTo(0.02f));
        assertThat(settings.get("max_epochs").asInt()).isEqualTo(2);
        assertThat(settings.get("kept_epoch").asInt()).isEqualTo(2);
        assertThat(report.get("cut").asText()).isEqualTo(settings.get("cut").asText());
        assertThat(report.get("validation_samples").asInt()).isEqualTo(settings.get("validation_samples").asInt())
                .isPositive();
        assertThat(report.get("energy").get("joules").asDouble())
                .isGreaterThan(settings.get("search_energy").get("joules").asDouble());
        // said on stderr too, with what it was chosen on and what it cost
        assertThat(run.err()).contains("verdant: chosen on " + settings.get("validation_samples").asInt()
                + " validation samples held out of the training data (not the test data): cut '"
                + settings.get("cut").asText() + "'").contains("verdant: choosing cost ");
        assertThat(OnnxGraph.of(OnnxModels.read(out)).metadata())
                .containsEntry("verdant.transfer.chosen_on_validation", "cut,head");

        CliRun given = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--cut", "Flatten", "--epochs", "1", "--threads", "1", "--out",
                folder.resolve("given.onnx").toString(), "--json");
        assertThat(given.exitCode()).as(given.err()).isZero();
        JsonNode givenReport = Json.mapper().readTree(given.out());
        assertThat(givenReport.get("settings").isNull()).isTrue();
        assertThat(givenReport.get("validation_samples").asInt()).isZero();
        assertThat(given.err()).doesNotContain("chosen on");
    }

    @Test
    void unknownCutNamesTheNearestTensorsAndWritesNothing() {
        Path out = folder.resolve("never.onnx");
        CliRun run = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--cut", "conv9", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).startsWith("verdant: no tensor or node named 'conv9' to cut at; nearest: [conv")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }

    @Test
    void mismatchesAreOneLineErrors() throws Exception {
        Path out = folder.resolve("never.onnx");
        CliRun classes = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "5", "--out", out.toString());
        assertThat(classes.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(classes.err()).contains("--classes 5 but fashion-mnist-sample has 10 classes");

        Path head = folder.resolve("head.onnx");
        OnnxModels.write(new Head.Linear().build(50, 10, 1, 17), head);
        CliRun wrongHead = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--head", head.toString(), "--out", out.toString());
        assertThat(wrongHead.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        // the head is checked against the features the backbone gives, after the banner line
        assertThat(wrongHead.err().strip().lines().toList()).last()
                .isEqualTo("verdant: the head reads [N, 50] but the backbone gives [N, 84] features at the cut");

        // a table (64-value rows: the first 64 pixels of real digits) is not images for an image backbone
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < 64; c++) {
            csv.append("p").append(c).append(',');
        }
        csv.append("label\n");
        var digits = dev.verdant.data.Datasets.images(dev.verdant.data.Datasets.resolve("mnist-digits-sample"),
                "mnist-digits-sample").loadAll();
        for (int i = 0; i < digits.size(); i += 5) {
            float[] image = digits.image(i);
            for (int c = 0; c < 64; c++) {
                csv.append(image[c]).append(',');
            }
            csv.append(digits.label(i)).append('\n');
        }
        Path table = folder.resolve("rows.csv");
        Files.writeString(table, csv);
        CliRun shape = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", table.toString(),
                "--classes", "10", "--out", out.toString());
        assertThat(shape.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(shape.err()).contains("this needs images").doesNotContain("\tat ");

        CliRun validation = CliRun.of("transfer", "--backbone", backbone.toString(), "--data",
                "fashion-mnist-sample", "--classes", "10", "--unfreeze", "last:1", "--validation", "1",
                "--out", out.toString());
        assertThat(validation.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(validation.err().strip()).isEqualTo("verdant: --validation takes a fraction in [0, 1) (0 for none),"
                + " got 1.0");

        CliRun noValidation = CliRun.of("transfer", "--backbone", backbone.toString(), "--data",
                "fashion-mnist-sample", "--classes", "10", "--validation", "0", "--out", out.toString());
        assertThat(noValidation.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(noValidation.err().strip()).isEqualTo("verdant: choosing the settings needs a validation split of"
                + " the training data: give --validation a fraction above 0, or --cut to choose nothing");

        CliRun texts = CliRun.of("transfer", "--backbone", "minilm", "--data", "fashion-mnist-sample",
                "--classes", "10", "--out", out.toString());
        assertThat(texts.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(texts.err()).contains("this needs labelled texts");
        assertThat(out).doesNotExist();
    }

    @Test
    void fineTunesTheLastEncoderLayerOfMiniLmOnWordNetGlosses() throws Exception {
        Path out = folder.resolve("minilm-wordnet.onnx");
        CliRun run = CliRun.of("transfer", "--backbone", "minilm", "--data", "wordnet-nouns", "--classes", "26",
                "--limit", "52", "--test-limit", "26", "--epochs", "5", "--lr", "0.01", "--unfreeze", "last:1",
                "--finetune-epochs", "1", "--batch", "26", "--max-tokens", "32", "--threads", "1",
                "--validation", "0.5", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        assertThat(report.get("unfrozen")).hasSize(16);
        assertThat(report.get("unfrozen").toString()).contains("encoder.layer.5.").doesNotContain("layer.4");
        assertThat(report.get("finetune_epochs")).hasSize(1);
        assertThat(report.get("test_accuracy").asDouble())
                .isEqualTo(report.get("finetune_epochs").get(0).get("test_accuracy").asDouble());
        assertThat(report.get("head_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(OnnxGraph.of(OnnxModels.read(out)).inputs()).hasSize(3);
        // about half of the 52 glosses (stratified, so it depends on how many each class drew) is held out of both
        // phases to choose the fine-tuning epoch
        int validation = report.get("validation_samples").asInt();
        assertThat(validation).isBetween(13, 39);
        assertThat(report.get("train_samples").asInt()).isEqualTo(52 - validation);
        assertThat(report.get("finetune_kept_epoch").asInt()).isEqualTo(1);
        assertThat(report.get("finetune_epochs").get(0).get("validation_accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void unfreezingMoreEncoderLayersThanMiniLmHasIsOneLineBeforeAnyWork() {
        Path out = folder.resolve("never.onnx");
        CliRun run = CliRun.of("transfer", "--backbone", "minilm", "--data", "wordnet-nouns", "--classes", "26",
                "--unfreeze", "last:7", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("verdant: cannot unfreeze the last 7 layers: the backbone has 6 encoder"
                + " layers before its cut");
        assertThat(out).doesNotExist();
    }

    @Test
    void unfreezeTakesLastK() {
        CliRun run = CliRun.of("transfer", "--backbone", backbone.toString(), "--data", "fashion-mnist-sample",
                "--classes", "10", "--unfreeze", "first:2", "--out", folder.resolve("x.onnx").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).contains("--unfreeze takes last:K");
    }
}
