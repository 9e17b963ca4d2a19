package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes ONNX {@code ModelProto} files: validated on the way in, written atomically on the way out,
 * and never over the model they were read from.
 */
public final class OnnxModels {

    /** Protobuf's own limit: a single message cannot exceed 2 GiB, so models with external data are out of scope. */
    public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE;

    private OnnxModels() {
    }

    /**
     * Reads a model file, or a built-in model by name ({@code minilm}, {@code minilm-int8}; those need
     * {@code dev.verdant:verdant-models} on the class path, see {@link BuiltinModel}).
     *
     * @throws ModelFormatException when the file is missing, empty, a directory, too large, truncated or not ONNX, or
     *                              names a built-in model without verdant-models
     */
    public static ModelProto read(String fileOrBuiltinName) {
        return read(BuiltinModel.resolve(fileOrBuiltinName));
    }

    /** Reads and validates one ONNX model file. */
    public static ModelProto read(Path file) {
        InputFiles.problem(file, "an ONNX model file").ifPresent(why -> {
            throw new ModelFormatException(why);
        });
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new ModelFormatException(file + " is empty, not an ONNX model");
        }
        if (size > MAX_MODEL_BYTES) {
            throw new ModelFormatException(file + " is larger than 2 GB; models with external data are not supported");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("no such file: " + file, e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates a model from bytes; {@code origin} names it in error messages. */
    public static ModelProto parse(byte[] bytes, String origin) {
        try {
            return validate(ModelProto.parseFrom(bytes), origin);
        } catch (InvalidProtocolBufferException e) {
            throw notOnnx(origin, e);
        }
    }

    private static ModelProto parse(InputStream in, String origin) throws IOException {
        CodedInputStream coded = CodedInputStream.newInstance(in);
        coded.setSizeLimit(Integer.MAX_VALUE);
        coded.setRecursionLimit(1000);
        try {
            ModelProto model = ModelProto.parseFrom(coded);
            coded.checkLastTagWas(0);
            return validate(model, origin);
        } catch (InvalidProtocolBufferException e) {
            throw notOnnx(origin, e);
        }
    }

    private static ModelFormatException notOnnx(String origin, InvalidProtocolBufferException e) {
        String why = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        String reason = why.contains("truncated") || why.contains("ended unexpectedly")
                ? "it is truncated"
                : "it is not an ONNX protobuf";
        return new ModelFormatException("cannot read " + origin + " as an ONNX model: " + reason, e);
    }

    private static ModelProto validate(ModelProto model, String origin) {
        if (!model.hasGraph() || model.getIrVersion() <= 0) {
            throw new ModelFormatException("cannot read " + origin + " as an ONNX model: it has no graph or IR version");
        }
        for (TensorProto initializer : model.getGraph().getInitializerList()) {
            if (initializer.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new ModelFormatException(origin + " keeps initializer '" + initializer.getName()
                        + "' in external data; models with external data are not supported");
            }
            Tensors.checkDeclaredSize(initializer, origin);
        }
        return model;
    }

    /**
     * Writes a model atomically: to a temporary file beside {@code target}, then moved into place, so a reader
     * never sees half a file.
     *
     * @throws IllegalArgumentException when {@code target} is the same file as one of {@code inputs}
     */
    public static void write(ModelProto model, Path target, Path... inputs) {
        AtomicFiles.write(target, model::writeTo, inputs);
    }
}
