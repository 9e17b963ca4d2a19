package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdant train} on the committed Fashion-MNIST sample (about 800 images to train, 200 held out), one epoch. */
class TrainCommandTest {

    @TempDir
    Path folder;

    @Test
    void trainsLenet5ThenFineTunesTheWrittenFile() throws Exception {
        Path model = folder.resolve("lenet5.onnx");
        CliRun trained = CliRun.of("train", "--arch", "lenet5", "--data", "fashion-mnist-sample", "--epochs", "1", "--batch", "32",
                "--seed", "5", "--out", model.toString(), "--json");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        JsonNode report = Json.mapper().readTree(trained.out());
        // the sample has no training part: 20% of each class is held out (rounded per class)
        assertThat(report.get("train_samples").asInt() + report.get("test_samples").asInt()).isEqualTo(1_000);
        assertThat(report.get("test_samples").asInt()).isBetween(195, 205);
        assertThat(report.get("params").asLong()).isEqualTo(61_706);
        assertThat(report.get("macs").asLong()).isEqualTo(416_520);
        assertThat(report.get("test_accuracy").asDouble()).isGreaterThan(0.4);
        assertThat(report.get("epochs")).hasSize(1);
        // the energy tracker is attached: the run and its epoch spent energy, measured or estimated
        assertThat(report.get("energy_joules").asDouble()).isPositive();
        assertThat(report.get("energy_method").asText()).matches("(measured|estimated), .+");
        assertThat(report.get("epochs").get(0).get("energy_joules").asDouble()).isPositive()
                .isLessThanOrEqualTo(report.get("energy_joules").asDouble());
        assertThat(trained.err()).doesNotContain("epoch 1/"); // --json keeps stderr quiet
        assertThat(OnnxGraph.of(OnnxModels.read(model)).metadata())
                .containsEntry("verdant.train.data", "fashion-mnist-sample")
                .containsEntry("verdant.train.seed", "5").containsKey("verdant.train.energy_joules")
                .containsEntry("verdant.train.test_accuracy",
                        String.format(java.util.Locale.ROOT, "%.4f", report.get("test_accuracy").asDouble()));

        Path tuned = folder.resolve("tuned.onnx");
        CliRun tune = CliRun.of("train", "--model", model.toString(), "--data", "fashion-mnist-sample", "--epochs", "1",
                "--batch", "32", "--seed", "5", "--lr", "3e-4", "--freeze", "conv*", "--out", tuned.toString());
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        assertThat(tune.err()).contains("epoch 1/1: train loss");
        assertThat(tune.out()).startsWith("Wrote " + tuned);
        var metadata = OnnxGraph.of(OnnxModels.read(tuned)).metadata();
        assertThat(metadata).containsEntry("verdant.train.started_from", "lenet5.onnx")
                .containsEntry("verdant.train.frozen", "conv*");
        // same seed, same held-out split: the fine-tune starts from the accuracy the first run ended at
        double before = report.get("test_accuracy").asDouble();
        assertThat(Double.parseDouble(metadata.get("verdant.train.test_accuracy"))).isGreaterThanOrEqualTo(before - 0.03);

        // the trained LeNet-5 teaches an MLP student
        Path student = folder.resolve("student.onnx");
        CliRun distil = CliRun.of("train", "--arch", "mlp", "--teacher", model.toString(), "--temperature", "3", "--alpha", "0.5",
                "--data", "fashion-mnist-sample", "--epochs", "1", "--batch", "32", "--seed", "5", "--out",
                student.toString(), "--json");
        assertThat(distil.exitCode()).as(distil.err()).isZero();
        assertThat(Json.mapper().readTree(distil.out()).get("test_accuracy").asDouble()).isGreaterThan(0.4);
        assertThat(OnnxGraph.of(OnnxModels.read(student)).metadata())
                .containsEntry("verdant.train.loss", "distillation(T=3.0, alpha=0.5)");
    }

    @Test
    void helpListsTheArchitectures() {
        CliRun help = CliRun.of("train", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("(--arch=ARCH | --model=MODEL)", "lenet5", "mobilenet", "transformer");
    }

    @Test
    void refusesToWriteOverItsInputBeforeTraining() throws Exception {
        Path model = folder.resolve("m.onnx");
        OnnxModels.write(dev.verdant.train.zoo.LeNet5.standard(1).build(), model);
        byte[] original = Files.readAllBytes(model);
        CliRun run = CliRun.of("train", "--model", model.toString(), "--data", "fashion-mnist-sample", "--out", model.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).contains("refusing to overwrite the input").hasLineCount(1);
        assertThat(Files.readAllBytes(model)).isEqualTo(original);
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Path out = folder.resolve("x.onnx");
        CliRun unknown = CliRun.of("train", "--arch", "resnet", "--data", "fashion-mnist-sample", "--out", out.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(unknown.err()).contains("unknown architecture 'resnet'").hasLineCount(1);

        CliRun width = CliRun.of("train", "--arch", "lenet5", "--width", "0.5", "--data", "fashion-mnist-sample", "--out", out.toString());
        assertThat(width.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(width.err()).contains("--width applies to mobilenet only");

        CliRun neither = CliRun.of("train", "--data", "fashion-mnist-sample", "--out", out.toString());
        assertThat(neither.exitCode()).isEqualTo(ExitCode.BAD_INPUT);

        CliRun optimizer = CliRun.of("train", "--arch", "mlp", "--optimizer", "adam", "--out", out.toString());
        assertThat(optimizer.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(optimizer.err()).contains("unknown optimizer 'adam'; expected sgd or adamw");

        CliRun loss = CliRun.of("train", "--arch", "mlp", "--loss", "hinge", "--out", out.toString());
        assertThat(loss.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(loss.err()).contains("unknown loss 'hinge'");

        CliRun data = CliRun.of("train", "--arch", "mlp", "--data", folder.resolve("nothing").toString(), "--out", out.toString());
        assertThat(data.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(data.err()).hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    /** --validation holds out part of the training data and writes the epoch best on it, never chosen on the test. */
    @Test
    void validationWritesTheEpochWithTheBestValidationAccuracy() throws Exception {
        Path out = folder.resolve("mlp.onnx");
        CliRun run = CliRun.of("train", "--arch", "mlp", "--data", "fashion-mnist-sample", "--epochs", "3", "--limit",
                "200", "--batch", "16", "--seed", "3", "--threads", "1", "--validation", "0.25", "--out",
                out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        int validation = report.get("validation_samples").asInt();
        assertThat(validation).isBetween(40, 60);
        assertThat(report.get("train_samples").asInt()).isEqualTo(200 - validation);
        JsonNode epochs = report.get("epochs");
        int best = 0;
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).get("validation_accuracy").asDouble() > epochs.get(best).get("validation_accuracy").asDouble()) {
                best = i;
            }
        }
        assertThat(report.get("kept_epoch").asInt()).isEqualTo(best + 1);
        assertThat(report.get("test_accuracy").asDouble()).isEqualTo(epochs.get(best).get("test_accuracy").asDouble());
        // the written file is the kept epoch's, not the last checkpoint written on the way
        var metadata = OnnxGraph.of(OnnxModels.read(out)).metadata();
        assertThat(metadata).containsEntry("verdant.train.kept_epoch", Integer.toString(best + 1))
                .containsEntry("verdant.train.validation_samples", Integer.toString(validation))
                .containsEntry("verdant.train.epochs", "3")
                .containsEntry("verdant.train.test_accuracy",
                        String.format(java.util.Locale.ROOT, "%.4f", report.get("test_accuracy").asDouble()));

        CliRun plain = CliRun.of("train", "--arch", "mlp", "--data", "fashion-mnist-sample", "--epochs", "1", "--limit",
                "200", "--batch", "16", "--seed", "3", "--threads", "1", "--validation", "0.25", "--out",
                folder.resolve("plain.onnx").toString());
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.err()).containsPattern("epoch 1/1: train loss [0-9.]+, validation [0-9.]+%, test accuracy");

        CliRun bad = CliRun.of("train", "--arch", "mlp", "--validation", "-0.1", "--out", folder.resolve("x.onnx").toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(bad.err()).contains("--validation takes a fraction in [0, 1)").hasLineCount(1);
    }

    @Test
    void missingTheAccuracyBarIsExitOneButTheModelIsWritten() {
        Path out = folder.resolve("mlp.onnx");
        CliRun run = CliRun.of("train", "--arch", "mlp", "--data", "fashion-mnist-sample", "--epochs", "1", "--limit", "200",
                "--min-accuracy", "0.99", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(run.err()).contains("below --min-accuracy 0.9900");
        assertThat(out).exists();
    }

    @Test
    void trainsTheTinyTransformerOnLabelledTexts() throws Exception {
        Path texts = folder.resolve("texts.tsv");
        StringBuilder lines = new StringBuilder();
        String[] animals = {"dog", "cat", "horse", "cow", "sheep", "goat", "bird", "fish"};
        String[] tools = {"hammer", "saw", "drill", "wrench", "chisel", "pliers", "screwdriver", "ladder"};
        for (int i = 0; i < 160; i++) {
            String[] words = i % 2 == 0 ? animals : tools;
            lines.append(i % 2 == 0 ? "animal" : "tool").append('\t').append("a ").append(words[i % 8]).append(" and a ")
                    .append(words[(i / 8) % 8]).append('\n');
        }
        Files.writeString(texts, lines);
        Path out = folder.resolve("transformer.onnx");
        CliRun run = CliRun.of("train", "--arch", "transformer", "--data", texts.toString(), "--seq-len", "10", "--epochs", "3",
                "--batch", "16", "--lr", "3e-3", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        assertThat(report.get("test_accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(report.get("data").asText()).contains("tokenized by all-minilm-l6-v2-tokenizer.json to 10 tokens");
        assertThat(Provenance.read(OnnxModels.read(out))).containsEntry("verdant.zoo.arch", "transformer");
    }
}
