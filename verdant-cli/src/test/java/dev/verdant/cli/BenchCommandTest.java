package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonOnStdoutWithSyntheticInputsSaidSo() throws Exception {
        CliRun run = CliRun.of("bench", "minilm-int8", "--iterations", "3", "--warmup", "1", "--seq-len", "16", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("kind").asText()).isEqualTo("bench");
        assertThat(json.get("run").get("command").asText()).startsWith("verdant bench minilm-int8");
        assertThat(json.get("bench").get("settings").get("input_kind").asText()).isEqualTo("synthetic");
        assertThat(json.get("bench").get("measurements")).hasSize(1);
        assertThat(json.get("bench").get("measurements").get(0).get("latency").get("runs").asInt()).isEqualTo(3);
        assertThat(json.get("bench").get("comparisons")).isEmpty();
    }

    @Test
    void tableAndSavedJsonForRealSentences() throws Exception {
        Path results = dir.resolve("out/results.json");
        CliRun run = CliRun.of("bench", "minilm-int8", "--data", "wordnet-nouns", "--seq-len", "16", "--batch", "1,2",
                "--iterations", "2", "--warmup", "0", "--samples", "8", "-o", results.toString(),
                "--html", dir.resolve("bench.html").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        // text is padded as users pad it unless asked otherwise, and the report says so
        assertThat(run.out()).contains("p50 ms").contains("mJ/inf").contains("8 real sentences of wordnet-nouns")
                .contains("padded to each batch's longest text (at most 16 tokens)").contains("Energy");
        assertThat(run.err()).contains("[1/2] threads 1, batch 1").contains("[2/2] threads 1, batch 2");
        JsonNode saved = new ObjectMapper().readTree(results.toFile());
        assertThat(saved.get("bench").get("measurements")).hasSize(2);
        assertThat(saved.get("bench").get("settings").get("input_kind").asText()).isEqualTo("data");
        assertThat(Files.readString(dir.resolve("bench.html"))).contains("<svg id=\"pareto-chart\"")
                .contains("minilm-int8 t1 b2");
    }

    @Test
    void paddingMaxPadsEveryBatchToTheSequenceLengthAndSaysSo() throws Exception {
        CliRun run = CliRun.of("bench", "minilm-int8", "--data", "wordnet-nouns", "--seq-len", "16", "--padding",
                "max", "--iterations", "2", "--warmup", "0", "--samples", "4", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode settings = new ObjectMapper().readTree(run.out()).get("bench").get("settings");
        assertThat(settings.get("input_description").asText()).contains("padded or truncated to 16 tokens");
    }

    @Test
    void badInputsAreOneLineWithExitCode2() {
        String[][] cases = {
            {"bench", dir.resolve("missing.onnx").toString()},
            {"bench", "minilm-int8", "--threads", "0"},
            {"bench", "minilm-int8", "--data", "no-such-dataset"},
            {"bench", "minilm-int8", "--baseline", "minilm-int8"},
            {"bench", "minilm-int8", "--duration", "soon"},
            {"bench", "minilm-int8", "--data", "wordnet-nouns", "--padding", "shortest"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("verdant: ").doesNotContain("at dev.verdant");
            assertThat(run.out()).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("missing.onnx"))).isFalse();
        // a malformed option is a usage error: picocli's message plus the hint to --help
        CliRun usage = CliRun.of("bench", "minilm-int8", "--batch", "x");
        assertThat(usage.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(usage.err()).startsWith("verdant: Invalid value for option '--batch'").contains("--help");
    }
}
