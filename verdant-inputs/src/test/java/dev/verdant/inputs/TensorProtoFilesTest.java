package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX's own backend tests (Debian {@code libonnx-testdata}) read through the test-data layout: ONNX Runtime, fed
 * what the reader made of {@code input_K.pb}, gives the {@code output_0.pb} ONNX recorded, for inputs of every
 * element type the readers carry.
 */
class TensorProtoFilesTest {

    @TempDir
    Path dir;

    static Path nodeTest(String name) {
        SystemDataAssumptions.assumeInstalled(SystemData.ONNX_NODE_TESTS);
        return SystemData.ONNX_NODE_TESTS.installedPath().orElseThrow().resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_relu", "test_gather_0", "test_where_example", "test_dequantizelinear",
            "test_cast_DOUBLE_to_FLOAT", "test_cast_FLOAT16_to_FLOAT", "test_conv_with_strides_padding"})
    void onnxRuntimeFedTheReadInputsGivesTheRecordedOutput(String test) throws Exception {
        Path folder = nodeTest(test);
        Path model = folder.resolve("model.onnx");
        InputSamples samples = InputsReader.read(InputsSpec.of(folder), ModelInputs.of(OnnxModels.read(model)));
        assertThat(samples.samples()).hasSize(1);
        InputSample sample = samples.samples().get(0);
        assertThat(sample.source()).endsWith("test_data_set_0");
        TensorProto expected = TensorProto.parseFrom(Files.readAllBytes(folder.resolve("test_data_set_0/output_0.pb")));
        assertThat(DataType.of(expected)).isEqualTo(DataType.FLOAT);
        try (OrtRunner runner = OrtRunner.open(model, SessionSpec.threads(1), test)) {
            OrtRunner.Output output = runner.run(sample.steps().get(0)).get(expected.getName());
            assertThat(output.shape()).containsExactly(Tensors.dims(expected));
            assertThat(output.values()).containsExactly(Tensors.toFloats(expected));
        }
    }

    @Test
    void aTensorFileIsNamedByTheTensorElseByTheFile() {
        Path input = nodeTest("test_gather_0").resolve("test_data_set_0/input_1.pb");
        NamedTensor indices = TensorProtoFiles.read(input);
        assertThat(indices.name()).isEqualTo("indices");
        assertThat(indices.tensor().type()).isEqualTo(DataType.INT64);
        assertThat(indices.describe()).isEqualTo(input + " (int64 [3])");

        Path unnamed = dir.resolve("pixels.pb");
        TensorProto tensor = Tensors.ofFloats("", new long[] {2}, new float[] {1, 2});
        writeBytes(unnamed, tensor.toByteArray());
        assertThat(TensorProtoFiles.read(unnamed).name()).isEqualTo("pixels");
    }

    @Test
    void whatItCannotReadIsOneLineNamingTheFile() {
        Path garbage = writeBytes(dir.resolve("garbage.pb"), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});
        assertThatThrownBy(() -> TensorProtoFiles.read(garbage)).hasMessageStartingWith(garbage
                + " is not an ONNX TensorProto").hasMessageNotContaining("\n");
        Path short1 = writeBytes(dir.resolve("short.pb"), TensorProto.newBuilder().setName("x")
                .setDataType(DataType.FLOAT.code()).addDims(3).addFloatData(1).addFloatData(2).build().toByteArray());
        assertThatThrownBy(() -> TensorProtoFiles.read(short1)).hasMessage(short1 + ": tensor 'x' declares 3 "
                + "elements (dims [3]) but holds 2");
        Path strings = writeBytes(dir.resolve("words.pb"), TensorProto.newBuilder().setName("w")
                .setDataType(DataType.STRING.code()).addDims(1)
                .addStringData(com.google.protobuf.ByteString.copyFromUtf8("hi")).build().toByteArray());
        assertThatThrownBy(() -> TensorProtoFiles.read(strings)).hasMessage(strings + " holds string values, which "
                + "Verdant does not feed to a model");
        Path emptySet = dir.resolve("model/test_data_set_0");
        createFolder(emptySet);
        assertThatThrownBy(() -> TensorProtoFiles.readDataSet(emptySet)).hasMessage(emptySet + " holds no "
                + "input_K.pb file");
    }

    static Path writeBytes(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
