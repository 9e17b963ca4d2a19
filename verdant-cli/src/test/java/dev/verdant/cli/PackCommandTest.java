package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.io.Json;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {

    @TempDir
    Path dir;

    /** x[batch, 64] -> MatMul(w1[64, 48]) -> Relu -> MatMul(w2[48, 10]), Gaussian weights, pruned 90% and shared 4-bit. */
    private static ModelProto compressedMlp() {
        Random random = new Random(7);
        OnnxModelBuilder b = OnnxModelBuilder.create("mlp");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(64));
        String h = b.node("MatMul").name("fc1").inputs(x, b.initializer("w1", new long[] {64, 48}, gaussian(random, 64 * 48)))
                .output("h");
        String r = b.node("Relu").name("relu").inputs(h).output("r");
        String y = b.node("MatMul").name("fc2").inputs(r, b.initializer("w2", new long[] {48, 10}, gaussian(random, 480)))
                .output("y");
        b.output(y, DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        PassContext context = PassContext.withoutData(1);
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(0.9)).apply(b.build(), context).model();
        return new WeightSharer(SharingBits.uniform(4)).apply(pruned, context).model();
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.1);
        }
        return values;
    }

    @Test
    void packThenUnpackGivesBackEveryTensorBitForBit() throws Exception {
        ModelProto model = compressedMlp();
        Path onnx = dir.resolve("mlp.onnx");
        OnnxModels.write(model, onnx);
        Path vdz = dir.resolve("mlp.vdz");
        CliRun pack = CliRun.of("pack", onnx.toString(), "--out", vdz.toString());
        assertThat(pack.exitCode()).as(pack.err()).isEqualTo(0);
        assertThat(pack.out()).contains("w1.codes", "sparse", "smaller", "Round trip checked");
        assertThat(Files.size(vdz)).isLessThan(Files.size(onnx) / 3);

        Path back = dir.resolve("back.onnx");
        CliRun unpack = CliRun.of("unpack", vdz.toString(), "--out", back.toString());
        assertThat(unpack.exitCode()).as(unpack.err()).isEqualTo(0);
        assertThat(unpack.out()).contains("Unpacked", "back.onnx");
        ModelProto restored = OnnxModels.read(back);
        assertThat(restored.getGraph().getNodeList()).isEqualTo(model.getGraph().getNodeList());
        for (int i = 0; i < model.getGraph().getInitializerCount(); i++) {
            TensorProto expected = model.getGraph().getInitializer(i);
            TensorProto actual = restored.getGraph().getInitializer(i);
            assertThat(actual.getName()).isEqualTo(expected.getName());
            assertThat(Tensors.toRawBytes(actual)).isEqualTo(Tensors.toRawBytes(expected));
        }
    }

    @Test
    void jsonCountsEveryByteOfTheFile() throws Exception {
        Path onnx = dir.resolve("mlp.onnx");
        OnnxModels.write(compressedMlp(), onnx);
        Path vdz = dir.resolve("mlp.vdz");
        CliRun pack = CliRun.of("pack", onnx.toString(), "--out", vdz.toString(), "--json");
        assertThat(pack.exitCode()).as(pack.err()).isEqualTo(0);
        JsonNode json = Json.mapper().readTree(pack.out());
        assertThat(json.get("packed_bytes").asLong()).isEqualTo(Files.size(vdz));
        assertThat(json.get("tensors")).hasSize(2);
        long sum = json.get("tensor_bytes").asLong() + json.get("skeleton_bytes").asLong()
                + json.get("header_bytes").asLong() + json.get("checksum_bytes").asLong();
        assertThat(sum).isEqualTo(Files.size(vdz));
    }

    @Test
    void badInputGetsOneLineAndExitTwoAndWritesNothing() throws Exception {
        Path onnx = dir.resolve("mlp.onnx");
        OnnxModels.write(compressedMlp(), onnx);
        CliRun missing = CliRun.of("pack", dir.resolve("nope.onnx").toString(), "--out", dir.resolve("x.vdz").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no such file");

        CliRun overInput = CliRun.of("pack", onnx.toString(), "--out", onnx.toString());
        assertThat(overInput.exitCode()).isEqualTo(2);
        assertThat(overInput.err()).contains("refusing to overwrite");
        assertThat(OnnxModels.read(onnx)).isEqualTo(compressedMlp());

        CliRun notVdz = CliRun.of("unpack", onnx.toString(), "--out", dir.resolve("y.onnx").toString());
        assertThat(notVdz.exitCode()).isEqualTo(2);
        assertThat(notVdz.err()).contains("not a .vdz file");

        Path vdz = dir.resolve("mlp.vdz");
        assertThat(CliRun.of("pack", onnx.toString(), "--out", vdz.toString()).exitCode()).isEqualTo(0);
        byte[] bytes = Files.readAllBytes(vdz);
        bytes[bytes.length / 2] ^= 1;
        Path corrupt = dir.resolve("corrupt.vdz");
        Files.write(corrupt, bytes);
        CliRun bad = CliRun.of("unpack", corrupt.toString(), "--out", dir.resolve("z.onnx").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("checksum");
        assertThat(dir.resolve("y.onnx")).doesNotExist();
        assertThat(dir.resolve("z.onnx")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }
}
