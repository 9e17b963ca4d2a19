package dev.verdant.onnx;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.io.Mutations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The ONNX reader on any bytes: a model whose float initializers hold exactly the values their dims declare, or a
 * {@link ModelFormatException} on one line. Inputs are small valid models with bytes flipped, inserted, deleted,
 * duplicated or cut (so protobuf lengths, tags and dims go wrong in every way), and random bytes.
 */
class OnnxModelsPropertiesTest {

    private static final Gen<byte[]> MODELS = Generate.oneOf(Mutations.ofBytes(ModelSamples.valid()),
            Mutations.randomBytes(100));

    @TempDir
    Path dir;

    @Test
    void anyBytesReadOrFailOnOneLine() {
        forAll(800, MODELS, bytes -> parsesOrRefuses(() -> OnnxModels.parse(bytes, "model.onnx"),
                ModelFormatException.class).ifPresent(model -> {
                    for (TensorProto t : model.getGraph().getInitializerList()) {
                        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                            assertThat(Tensors.toFloats(t)).hasSize((int) Tensors.elementCount(t));
                        }
                    }
                }));
    }

    @Test
    void aTensorNameIsQuotedOnOneLine() throws Exception {
        // found by fuzzing the .vdz reader: a tensor's name from the file, line break and all, went into the message
        ai.onnx.proto.OnnxMl.ModelProto model = OnnxModels.parse(ModelSamples.valid().get(0), "model.onnx");
        ai.onnx.proto.OnnxMl.GraphProto graph = model.getGraph().toBuilder()
                .setInitializer(0, model.getGraph().getInitializer(0).toBuilder().setName("w\nx").setDims(0, -3))
                .build();
        byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
        assertThat(parsesOrRefuses(() -> OnnxModels.parse(bytes, "model.onnx"), ModelFormatException.class)).isEmpty();
    }

    @Test
    void anyFileReadsOrFailsOnOneLine() {
        Path file = dir.resolve("model.onnx");
        forAll(100, MODELS, bytes -> {
            Files.write(file, bytes);
            parsesOrRefuses(() -> OnnxModels.read(file), ModelFormatException.class);
        });
    }
}
