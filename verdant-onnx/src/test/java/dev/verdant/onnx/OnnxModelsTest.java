package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxModelsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BuiltinModel.class)
    void roundTripGivesBitIdenticalOutputsInOnnxRuntime(BuiltinModel builtin) throws Exception {
        Path original = builtin.modelFile();
        ModelProto model = OnnxModels.read(original);
        Path copy = dir.resolve("copy.onnx");

        OnnxModels.write(model, copy, original);

        assertThat(OnnxModels.read(copy)).isEqualTo(model);
        Map<String, long[][]> inputs = MiniLmInputs.encode(MiniLmInputs.SENTENCES);
        List<float[]> expected = MiniLmInputs.run(original, inputs);
        List<float[]> actual = MiniLmInputs.run(copy, inputs);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Arrays.equals(actual.get(i), expected.get(i))).as("output %d bit-identical", i).isTrue();
        }
        assertThat(expected.get(0)).as("real activations, not zeros").satisfies(v -> {
            double sum = 0;
            for (float f : v) {
                sum += Math.abs(f);
            }
            assertThat(sum).isGreaterThan(0);
        });
    }

    @Test
    void missingFileIsBadInput() {
        assertThatThrownBy(() -> OnnxModels.read(dir.resolve("nope.onnx")))
                .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("no such file");
    }

    @Test
    void emptyFileIsBadInput() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertThatThrownBy(() -> OnnxModels.read(empty)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void directoryIsBadInput() {
        assertThatThrownBy(() -> OnnxModels.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is a folder");
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        // /dev/zero never ends: reading it would fill the heap
        assertThatThrownBy(() -> OnnxModels.read(Path.of("/dev/zero"))).isInstanceOf(ModelFormatException.class)
                .hasMessage("/dev/zero is a device, FIFO or socket, not an ONNX model file; give a regular file");
    }

    @Test
    void textFileIsNotOnnx() throws IOException {
        Path text = Files.writeString(dir.resolve("readme.onnx"), "this is not a model\n");
        assertThatThrownBy(() -> OnnxModels.read(text)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("as an ONNX model");
    }

    @Test
    void truncatedModelIsBadInput() throws IOException {
        byte[] whole = Files.readAllBytes(BuiltinModel.MINILM_INT8.modelFile());
        Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> OnnxModels.read(cut)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void refusesToOverwriteItsInput() throws IOException {
        Path input = dir.resolve("in.onnx");
        ModelProto model = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        OnnxModels.write(model, input);
        long before = Files.size(input);

        assertThatThrownBy(() -> OnnxModels.write(model.toBuilder().setDocString("changed").build(),
                dir.resolve(".").resolve("in.onnx"), input))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to overwrite");
        assertThat(Files.size(input)).isEqualTo(before);
    }

    @Test
    void builtinNamesResolveToTheJarsModels() {
        assertThat(BuiltinModel.resolve("minilm")).isEqualTo(BuiltinModel.MINILM.modelFile());
        assertThat(BuiltinModel.resolve("MiniLM-INT8")).isEqualTo(BuiltinModel.MINILM_INT8.modelFile());
        assertThat(BuiltinModel.resolve("some/file.onnx")).isEqualTo(Path.of("some/file.onnx"));
    }

    @Test
    void declaredSizesAreCheckedAgainstTheDataBeforeAnythingIsSizedByThem() {
        Map<String, TensorProto> bad = Map.of(
                "has a negative dimension [-16, 8]", tensor("w", List.of(-16L, 8L), 0),
                "more elements than can exist", tensor("w", List.of(1L << 62, 16L), 0),
                "declares 64 elements (dims [8, 8]) but holds 3", tensor("w", List.of(8L, 8L), 3),
                "holds 7 bytes, not a whole number of float values", TensorProto.newBuilder().setName("w")
                        .setDataType(DataType.FLOAT.code()).addDims(2)
                        .setRawData(ByteString.copyFrom(new byte[7])).build());
        bad.forEach((message, tensor) -> {
            byte[] bytes = model(tensor).toByteArray();
            assertThatThrownBy(() -> OnnxModels.parse(bytes, "bad.onnx")).as(message)
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("bad.onnx: tensor 'w'")
                    .hasMessageContaining(message).hasMessageNotContaining("\n");
        });
        assertThat(OnnxModels.parse(model(tensor("w", List.of(2L, 3L), 6)).toByteArray(), "good.onnx")
                .getGraph().getInitializerCount()).isEqualTo(1);
    }

    private static TensorProto tensor(String name, List<Long> dims, int values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code())
                .addAllDims(dims);
        for (int i = 0; i < values; i++) {
            t.addFloatData(i);
        }
        return t.build();
    }

    private static ModelProto model(TensorProto initializer) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(GraphProto.newBuilder().setName("g")
                .addInitializer(initializer)).build();
    }
}
