package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleCommandTest {

    @TempDir
    Path dir;

    /** x[batch, inputs] -> MatMul -> logits[batch, 10], seeded Gaussian weights. */
    private static ModelProto linear(long seed, int inputs) {
        Random random = new Random(seed);
        float[] w = new float[inputs * 10];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("linear");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(inputs));
        String y = b.node("MatMul").name("fc").inputs(x, b.initializer("w", new long[] {inputs, 10}, w)).output("logits");
        b.output(y, DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }

    @Test
    void joinsMembersIntoOneModelEndingInMean() throws Exception {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        OnnxModels.write(linear(1, 16), a);
        OnnxModels.write(linear(2, 16), b);
        Path out = dir.resolve("teacher.onnx");
        CliRun run = CliRun.of("ensemble", a.toString(), b.toString(), "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(run.out());
        assertThat(summary.get("members")).hasSize(2);
        assertThat(summary.get("nodes").asInt()).isEqualTo(3);
        ModelProto ensemble = OnnxModels.read(out);
        assertThat(ensemble.getGraph().getNode(2).getOpType()).isEqualTo("Mean");
        assertThat(ensemble.getGraph().getNode(2).getInputList()).containsExactly("m1/logits", "m2/logits");
    }

    @Test
    void mismatchedMembersAndOverwritingAnInputAreOneLineErrors() throws Exception {
        Path a = dir.resolve("a.onnx");
        Path c = dir.resolve("c.onnx");
        OnnxModels.write(linear(1, 16), a);
        OnnxModels.write(linear(3, 12), c);
        Path out = dir.resolve("e.onnx");
        CliRun mismatch = CliRun.of("ensemble", a.toString(), c.toString(), "--out", out.toString());
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.err().strip()).doesNotContain("\n").contains("member 2", "input");
        assertThat(out).doesNotExist();

        CliRun overInput = CliRun.of("ensemble", a.toString(), a.toString(), "--out", a.toString());
        assertThat(overInput.exitCode()).isEqualTo(2);
        assertThat(overInput.err()).contains("refusing to overwrite");
        assertThat(OnnxModels.read(a)).isEqualTo(linear(1, 16));

        CliRun one = CliRun.of("ensemble", a.toString(), "--out", out.toString());
        assertThat(one.exitCode()).isEqualTo(2);
    }
}
