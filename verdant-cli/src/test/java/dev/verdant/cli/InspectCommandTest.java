package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonHasTheDocumentedKeysAndRealFigures() throws Exception {
        CliRun run = CliRun.of("inspect", "minilm", "--shape", "input_ids=1x128", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        for (String key : new String[] {"params", "macs", "flops", "bytes", "ops", "opset", "inputs", "outputs"}) {
            assertThat(json.has(key)).as("key %s", key).isTrue();
        }
        assertThat(json.get("params").asLong()).isEqualTo(22_713_216L);
        assertThat(json.get("macs").asLong()).isEqualTo(1_434_599_424L);
        assertThat(json.get("ops").get("MatMul").asInt()).isEqualTo(48);
        assertThat(json.get("inputs").get(1).get("shape").get(1).asLong()).isEqualTo(128);
    }

    @Test
    void tableNamesTheFigures() {
        CliRun run = CliRun.of("inspect", "minilm-int8");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("int8").contains("uint8").contains("MACs").contains("sequence_length=128");
    }

    @Test
    void badInputsAreOneLineWithExitCode2() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        Path text = Files.writeString(dir.resolve("text.onnx"), "hello");
        String[][] cases = {
            {"inspect", dir.resolve("missing.onnx").toString()},
            {"inspect", empty.toString()},
            {"inspect", text.toString()},
            {"inspect", dir.toString()},
            {"inspect", "minilm-int8", "--shape", "nope=1x2"},
            {"inspect", "minilm-int8", "--shape", "input_ids=1xq"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("verdant: ").doesNotContain("at dev.verdant");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.of("inspect", "--verbose", dir.resolve("missing.onnx").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).contains("at dev.verdant");
    }
}
