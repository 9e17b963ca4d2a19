package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.onnx.Attributes;
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
        assertThat(json.get("shapes").get("by_rules").asInt()).isEqualTo(692);
        assertThat(json.get("shapes").get("probed")).isEmpty();
        assertThat(json.get("shapes").get("probe_runs").asInt()).isZero();
    }

    /** x[B, 4] -> Einsum (an op the shape rules do not know) -> MatMul w[3, K]. */
    private Path einsumModel() {
        return einsumModel(Dim.of(4));
    }

    /** x[B, K] -> Einsum with w[4, 3] -> MatMul: the rules do not follow Einsum, so its output is probed. */
    private Path einsumModel(Dim inner) {
        OnnxModelBuilder b = OnnxModelBuilder.create("einsum");
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), inner);
        String e = b.node("Einsum").inputs(x, b.initializer("w", new long[] {4, 3}, new float[12]))
                .attribute(Attributes.ofString("equation", "bi,ij->bj")).output("e");
        String y = b.node("MatMul").inputs(e, b.initializer("v", new long[] {3, 5}, new float[15])).output("y");
        b.output(y, DataType.FLOAT, Dim.named("B"), Dim.of(5));
        Path model = dir.resolve("einsum.onnx");
        OnnxModels.write(b.build(), model);
        return model;
    }

    /** x[B, K] -> MatMul w[4, 3] named dense: K must be 4, which only the graph says. */
    private Path denseModel() {
        OnnxModelBuilder b = OnnxModelBuilder.create("dense");
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), Dim.named("K"));
        b.node("MatMul").name("dense").inputs(x, b.initializer("w", new long[] {4, 3}, new float[12])).output("y");
        b.output("y", DataType.FLOAT, Dim.named("B"), Dim.of(3));
        Path model = dir.resolve("dense.onnx");
        OnnxModels.write(b.build(), model);
        return model;
    }

    @Test
    void aShapeTheGraphCannotTakeNamesTheNode() {
        CliRun run = CliRun.of("inspect", denseModel().toString(), "--shape", "x=2x5");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).isEqualTo("verdant: shapes do not fit node dense (MatMul): inner dims of [2,5] and [4,3]"
                + " differ (check --shape)" + System.lineSeparator());
    }

    @Test
    void theTableSaysWhichShapesCameFromTheRulesAndWhichFromAProbeRun() {
        CliRun rules = CliRun.of("inspect", "minilm", "--shape", "input_ids=32x512");
        assertThat(rules.exitCode()).as(rules.err()).isZero();
        assertThat(rules.out()).contains("Shapes     692 node outputs by ONNX shape rules, none by running the model");
        CliRun probed = CliRun.of("inspect", einsumModel().toString(), "--shape", "x=64x4");
        assertThat(probed.exitCode()).as(probed.err()).isZero();
        assertThat(probed.out()).contains("Shapes     1 node outputs by ONNX shape rules, 1 by running it in ONNX"
                + " Runtime (2 runs): e").contains("at batch 1 and 2");
    }

    @Test
    void aProbeTheModelRefusesIsANoteAndOnnxRuntimePrintsNothingOfItsOwn() throws Exception {
        einsumModel(Dim.named("K"));
        // in a JVM of its own: ONNX Runtime's log goes to the process's stderr, which an in-JVM run does not see
        ChildCli.Result run = ChildCli.run(dir, "exec \"$@\" inspect einsum.onnx --shape x=2x5");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("shapes of 1 tensors (Einsum) not found: ONNX Runtime could not run the model");
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
            {"inspect", denseModel().toString(), "--shape", "x=2x5"},
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
