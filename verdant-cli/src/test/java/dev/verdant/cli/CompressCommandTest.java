package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {

    @TempDir
    Path dir;

    private static String[] with(String[] args, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    @Test
    void aRecipeThatDoesNotParseIsOneLineAndExit2() {
        Path out = dir.resolve("never.onnx");
        CliRun result = CliRun.of("compress", "minilm", "--recipe", "fuse,quantize", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err().strip()).startsWith("verdant: unknown recipe step 'quantize'").doesNotContain("\n");
        assertThat(out).doesNotExist();

        CliRun sparsity = CliRun.of("compress", "minilm", "--recipe", "prune:1.2", "--out", out.toString());
        assertThat(sparsity.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out).doesNotExist();
    }

    @Test
    void aToleranceThatIsNotANumberIsOneLineAndExit2() {
        Path out = dir.resolve("nan.onnx");
        for (String[] tolerance : new String[][] {{"--min-fidelity", "NaN"}, {"--max-accuracy-drop", "NaN"},
                {"--max-accuracy-drop", "Infinity"}}) {
            CliRun result = CliRun.of("compress", "minilm", "--recipe", "int8-dynamic", "--out", out.toString(),
                    tolerance[0], tolerance[1]);
            assertThat(result.exitCode()).as(tolerance[1]).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.err().strip()).contains(tolerance[0]).doesNotContain("\n");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aCheckCountBelowOneIsOneLineAndExit2() {
        Path out = dir.resolve("none.onnx");
        for (String count : new String[] {"0", "-1"}) {
            CliRun result = CliRun.of("compress", "minilm", "--recipe", "int8-dynamic", "--out", out.toString(),
                    "--check", count);
            assertThat(result.exitCode()).as(count).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.err().strip()).as(count)
                    .isEqualTo("verdant: --check needs at least 1 example, got " + count);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void anEmptyIdxSetIsOneLineNamingTheData() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty-idx"));
        // valid IDX headers that declare no image and no label
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28});
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        Path out = dir.resolve("empty.onnx");
        CliRun result = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--data", folder.toString(),
                "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err().strip()).contains(folder.toString()).doesNotContain("\n")
                .doesNotContain("out of bounds");
        assertThat(out).doesNotExist();
    }

    /**
     * A model whose MatMul weights all sit in If branches (as Silero VAD's do): the refusal says where they are,
     * not that the model has none.
     */
    @Test
    void weightsOnlyInsideControlFlowAreNamedAsOutOfReach() throws Exception {
        Path model = dir.resolve("branches.onnx");
        OnnxModels.write(modelWithBranches(false), model);
        for (String recipe : new String[] {"int8-dynamic", "share:5bit", "prune:0.5"}) {
            Path out = dir.resolve("out.onnx");
            CliRun run = CliRun.of("compress", model.toString(), "--recipe", recipe, "--out", out.toString());
            assertThat(run.exitCode()).as(recipe).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip()).as(recipe).doesNotContain("\n").endsWith("; that is its main graph: 2 "
                    + "more nodes sit inside If, Loop or Scan bodies, which compression passes do not enter (an "
                    + "export of the model without control flow can be compressed)");
            assertThat(out).doesNotExist();
        }
    }

    /**
     * A model with weights in its main graph and in If branches is compressed in its main graph, and the report
     * says that the branches' nodes were left as they are, instead of passing over them in silence.
     */
    @Test
    void nodesInsideControlFlowLeftAsTheyAreAreReported() throws Exception {
        Path model = dir.resolve("main-and-branches.onnx");
        OnnxModels.write(modelWithBranches(true), model);
        Path out = dir.resolve("out.onnx");
        CliRun run = CliRun.of("compress", model.toString(), "--recipe", "prune:0.5", "--out", out.toString(),
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode facts = Json.mapper().readTree(run.out()).path("compression").path("steps").path(0).path("facts");
        assertThat(facts.path("notEntered").asText()).isEqualTo("2 nodes inside If, Loop or Scan bodies, left as "
                + "they are (compression passes work on the main graph)");
        assertThat(out).exists();
    }

    /**
     * {@code y = If(flag, x' W_then, x' W_else)}, each branch one MatMul by its own weight, where {@code x'} is
     * {@code x} or, with {@code mainWeight}, {@code x} through a MatMul of the main graph.
     */
    private static ModelProto modelWithBranches(boolean mainWeight) {
        OnnxModelBuilder b = OnnxModelBuilder.create("branches");
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), Dim.of(8));
        String flag = b.input("flag", DataType.BOOL);
        String branchInput = x;
        if (mainWeight) {
            float[] weights = new float[64];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (i % 9) - 4;
            }
            branchInput = b.node("MatMul").inputs(x, b.initializer("main.w", new long[] {8, 8}, weights))
                    .output("h");
        }
        List<AttributeProto> branches = new ArrayList<>();
        for (String name : new String[] {"then_branch", "else_branch"}) {
            GraphProto graph = GraphProto.newBuilder().setName(name)
                    .addInitializer(Tensors.ofFloats(name + ".w", new long[] {8, 2}, new float[16]))
                    .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput(branchInput)
                            .addInput(name + ".w").addOutput(name + ".y"))
                    .addOutput(ValueInfoProto.newBuilder().setName(name + ".y")).build();
            branches.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH)
                    .setG(graph).build());
        }
        String y = b.node("If").inputs(flag).attribute(branches.get(0)).attribute(branches.get(1)).output("y");
        b.output(y, DataType.FLOAT, Dim.named("B"), Dim.of(2));
        return b.build();
    }

    @Test
    void neverWritesOverTheInput() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("dense");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(2));
        String w = b.initializer("w", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        b.output(b.node("MatMul").inputs(x, w).output("y"), DataType.FLOAT, Dim.named("N"), Dim.of(2));
        Path model = dir.resolve("dense.onnx");
        OnnxModels.write(b.build(), model);
        byte[] before = Files.readAllBytes(model);

        CliRun result = CliRun.of("compress", model.toString(), "--recipe", "int8-dynamic", "--out", model.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("refusing to overwrite the input");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }

    @Test
    void calibrationDataOfTheWrongShapeIsOneLineAndExit2() {
        OnnxModelBuilder b = OnnxModelBuilder.create("wide");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(100));
        String w = b.initializer("w", new long[] {100, 2}, new float[200]);
        b.output(b.node("MatMul").inputs(x, w).output("y"), DataType.FLOAT, Dim.named("N"), Dim.of(2));
        Path model = dir.resolve("wide.onnx");
        OnnxModels.write(b.build(), model);
        Path out = dir.resolve("wide-int8.onnx");

        CliRun result = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--data", "fashion-mnist",
                "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err().strip()).contains("does not fit model input 'x'").doesNotContain("\n");
        assertThat(out).doesNotExist();
    }

    /** Text that cannot stand for a user's batches: a calibration set short of a batch, or texts all cut. */
    @Test
    void aShortCalibrationSetOrTextsThatAllTruncateAreOneLineAndExit2() {
        Path out = dir.resolve("minilm-int8.onnx");
        String[][] cases = {
            {"compress", "minilm", "--recipe", "int8-dynamic", "--calibration", "8", "--out", out.toString()},
            {"compress", "minilm", "--recipe", "fuse", "--sequence-length", "2", "--out", out.toString()},
            {"compress", "minilm", "--recipe", "fuse", "--padding", "shortest", "--out", out.toString()},
        };
        String[] expected = {"fewer than a batch of 16", "so all are truncated", "--padding is one of longest, max"};
        for (int i = 0; i < cases.length; i++) {
            CliRun result = CliRun.of(cases[i]);
            assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.err().strip()).contains(expected[i]).doesNotContain("\n");
        }
        assertThat(out).doesNotExist();
    }

    /** Real MiniLM: an impossible fidelity bound exits 1 and writes nothing; a met one writes the model. */
    @Test
    void aBrokenToleranceExits1AndWritesNothing() throws Exception {
        Path strict = dir.resolve("strict.onnx");
        CliRun failed = CliRun.of("compress", "minilm", "--recipe", "int8-dynamic", "--out", strict.toString(),
                "--calibration", "16", "--check", "16", "--rounds", "0", "--no-energy", "--min-fidelity", "0.99999");
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(failed.err()).contains("is below --min-fidelity 0.99999").contains("nothing written");
        assertThat(failed.out()).contains("fidelity").contains("Nothing written");
        assertThat(strict).doesNotExist();

        Path fused = dir.resolve("fused.onnx");
        CliRun passed = CliRun.of("compress", "minilm", "--recipe", "fuse", "--out", fused.toString(), "--calibration", "16",
                "--check", "16", "--rounds", "1", "--no-energy", "--min-fidelity", "0.9999", "--seed", "7", "--json");
        assertThat(passed.exitCode()).as(passed.err()).isEqualTo(ExitCode.OK);
        JsonNode result = Json.mapper().readTree(passed.out());
        assertThat(result.get("kind").asText()).isEqualTo("compress");
        JsonNode report = result.get("compression");
        assertThat(report.get("fidelity").get("max_abs_diff").asDouble()).isLessThan(1e-4);
        assertThat(report.get("fidelity").get("max_abs_diff_real_tokens").asDouble())
                .isLessThanOrEqualTo(report.get("fidelity").get("max_abs_diff").asDouble());
        assertThat(report.get("checks").get(0).get("passed").asBoolean()).isTrue();
        assertThat(report.get("original").get("nodes").asInt()).isEqualTo(692);
        assertThat(report.get("compressed").get("nodes").asInt()).isLessThan(60);
        ModelProto written = OnnxModels.read(fused);
        Map<String, String> provenance = Provenance.read(written);
        assertThat(provenance).containsEntry("verdant.compress.recipe", "fuse")
                .containsKey("verdant.compress.source_sha256").containsKey("verdant.compress.verdant_version")
                .containsEntry("verdant.compress.seed", "7").containsKey("verdant.compress.energy_joules");
        assertThat(provenance.get("verdant.compress.source_sha256")).hasSize(64);
        assertThat(provenance.get("verdant.compress.energy_method")).isIn("measured", "estimated");
    }

    /** A retraining recipe prints a line per epoch on stderr while it runs, named by its step; --json stays quiet. */
    @Test
    void retrainingStepsReportEachEpochOnStderr() throws Exception {
        Path teacher = dir.resolve("lenet5.onnx");
        OnnxModels.write(Zoo.imageClassifier("lenet5", 10, 1.0, 1).build(), teacher);
        String[] distill = {"compress", teacher.toString(), "--recipe", "distill:student=mlp,epochs=2,examples=300",
                "--data", "fashion-mnist-sample", "--threads", "1", "--check", "64", "--rounds", "0", "--no-energy"};
        CliRun plain = CliRun.of(with(distill, "--out", dir.resolve("student.onnx").toString()));
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.err())
                .containsPattern("(?m)^distill: epoch 1/2: train loss [0-9.]+, test accuracy [0-9.]+% \\(ONNX Runtime\\)")
                .contains("distill: epoch 2/2: ");

        CliRun json = CliRun.of(with(distill, "--json", "--out", dir.resolve("quiet.onnx").toString()));
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.err()).doesNotContain("epoch 1/");

        // the accuracy difference carries its paired 95% margin, from the examples the two models disagree on
        assertThat(plain.out()).containsPattern("accuracy .* [-+][0-9.]+ \\+- [0-9.]+ points over 64 examples "
                + "\\(95% interval, paired\\)");
        JsonNode accuracy = Json.mapper().readTree(json.out()).path("compression").path("accuracy");
        int examples = accuracy.path("examples").asInt();
        assertThat(examples).isEqualTo(64);
        double difference = accuracy.path("compressed").asDouble() - accuracy.path("original").asDouble();
        assertThat((accuracy.path("compressed_only").asInt() - accuracy.path("original_only").asInt())
                / (double) examples).isCloseTo(difference, org.assertj.core.data.Offset.offset(1e-9));
    }
}
