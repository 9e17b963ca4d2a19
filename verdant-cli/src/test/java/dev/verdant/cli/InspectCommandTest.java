package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
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
    void oneDimensionNameGivenTwoSizesIsOneWarningLine() throws Exception {
        OnnxModelBuilder builder = OnnxModelBuilder.create("two-inputs");
        Dim[] a = {new Dim.Symbolic("batch"), new Dim.Fixed(3)};
        Dim[] b = {new Dim.Symbolic("batch"), new Dim.Fixed(5)};
        builder.input("a", DataType.FLOAT, a);
        builder.input("b", DataType.FLOAT, b);
        builder.output(builder.node("Identity").inputs("a").output("ya"), DataType.FLOAT, a);
        builder.output(builder.node("Identity").inputs("b").output("yb"), DataType.FLOAT, b);
        Path model = dir.resolve("two-inputs.onnx");
        OnnxModels.write(builder.build(), model);

        CliRun run = CliRun.of("inspect", model.toString(), "--shape", "a=2x3", "--shape", "b=4x5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err().lines()).containsExactly("verdant: warning: dimension 'batch' is 2 on input a axis 0"
                + " but 4 on input b axis 0; one name means one size, so it binds no other axis");
        assertThat(CliRun.of("inspect", model.toString(), "--shape", "a=2x3", "--shape", "b=2x5").err()).isEmpty();
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
