package dev.verdant.inputs;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.ModelFormatException;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ONNX {@code TensorProto} files ({@code .pb}), one serialized tensor each, and the layout ONNX's own test data keeps
 * them in: a model folder with {@code test_data_set_N/input_K.pb} (and {@code output_K.pb}, which are not inputs).
 */
public final class TensorProtoFiles {

    /** The folders of one example each in ONNX's test-data layout. */
    public static final Pattern DATA_SET = Pattern.compile("test_data_set_(\\d+)");
    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");

    private TensorProtoFiles() {
    }

    /**
     * One {@code .pb} file, named by the name the tensor carries (ONNX's test data names each after its model input),
     * or by its file name without the extension when it carries none.
     *
     * @throws IllegalArgumentException with one line naming the file when it is not a tensor Verdant feeds
     */
    public static NamedTensor read(Path file) {
        InputFiles.requireReadable(file, "a TensorProto .pb file");
        TensorProto tensor;
        try {
            tensor = TensorProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + " is not an ONNX TensorProto: "
                    + MessageText.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String source = file.toString();
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(source + " keeps its values in an external file; inputs hold them");
        }
        DataType type;
        try {
            type = DataType.of(tensor);
            Tensors.checkDeclaredSize(tensor, source);
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (tensor.getDataType() == DataType.UNDEFINED.code() || type == DataType.STRING) {
            throw new IllegalArgumentException(source + " holds " + type.onnxName()
                    + " values, which Verdant does not feed to a model");
        }
        long[] dims = Tensors.dims(tensor);
        InputTensor values;
        try {
            values = InputTensor.ofLittleEndian(dims, type, Tensors.toRawBytes(tensor));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        String name = tensor.getName().isEmpty() ? InputFileKind.stem(file) : tensor.getName();
        return new NamedTensor(name, values, source);
    }

    /** Whether {@code folder} holds ONNX's test-data layout: at least one {@code test_data_set_N} folder. */
    public static boolean isTestDataLayout(Path folder) {
        return !dataSets(folder).isEmpty();
    }

    /** The {@code test_data_set_N} folders of {@code folder}, in the order of N. */
    public static List<Path> dataSets(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> DATA_SET.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(p -> number(DATA_SET, p)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code input_K.pb} tensors of one {@code test_data_set_N} folder, in the order of K.
     *
     * @throws IllegalArgumentException naming the folder when it holds no input
     */
    public static List<NamedTensor> readDataSet(Path dataSet) {
        List<Path> files;
        try (Stream<Path> children = Files.list(dataSet)) {
            files = children.filter(p -> INPUT.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(p -> number(INPUT, p))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dataSet + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dataSet + " holds no input_K.pb file");
        }
        List<NamedTensor> tensors = new ArrayList<>();
        for (Path file : files) {
            tensors.add(read(file));
        }
        return tensors;
    }

    private static long number(Pattern pattern, Path path) {
        Matcher m = pattern.matcher(path.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(path.toString());
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
