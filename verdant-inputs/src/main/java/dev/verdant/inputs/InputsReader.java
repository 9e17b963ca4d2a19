package dev.verdant.inputs;

import dev.verdant.io.InputFiles;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code --inputs} for one model into {@link InputSamples}, every example matched to the model's inputs by
 * {@link InputMatcher}. What a path holds decides the examples:
 * <ul>
 *   <li>a file is one example: an {@code .npy} or {@code .pb} tensor, every array of an {@code .npz}, an image, or a
 *   WAV file cut into steps of {@code --frame} samples;</li>
 *   <li>a folder in ONNX's test-data layout: each {@code test_data_set_N} is one example of its
 *   {@code input_K.pb};</li>
 *   <li>a folder of folders: each subfolder is one example of the tensor files it holds ({@code .npy}, {@code .npz},
 *   {@code .pb});</li>
 *   <li>a folder of files: each file is one example, except when the model takes several inputs and the folder's
 *   tensor files are named after them, which makes them one example.</li>
 * </ul>
 * Files and folders are taken in name order; hidden files and files of other kinds are passed over.
 */
public final class InputsReader {

    private InputsReader() {
    }

    /**
     * Reads and matches the examples {@code spec} names.
     *
     * @throws IllegalArgumentException with one line naming the file, option or model input at fault
     */
    public static InputSamples read(InputsSpec spec, ModelInputs model) {
        Map<String, InputTensor> fills = new LinkedHashMap<>();
        for (Fill fill : spec.fills()) {
            ModelInputs.Input input = model.inputs().stream().filter(i -> i.name().equals(fill.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--fill " + fill.name() + ": the model has no "
                            + "input '" + fill.name() + "'; its inputs are " + model.names()));
            if (fills.put(fill.name(), fill.tensor(input)) != null) {
                throw new IllegalArgumentException("--fill " + fill.name() + " is given twice");
            }
        }
        InputMatcher matcher = new InputMatcher(model, fills, spec.carried());
        Path path = spec.path();
        if (!Files.isDirectory(path)) {
            InputFiles.requireReadable(path, "an input file");
            Reading reading = new Reading(spec, matcher);
            reading.file(path);
            return reading.result(path);
        }
        Reading reading = new Reading(spec, matcher);
        if (TensorProtoFiles.isTestDataLayout(path)) {
            for (Path set : limit(TensorProtoFiles.dataSets(path), spec)) {
                reading.add(set.toString(), TensorProtoFiles.readDataSet(set));
            }
            return reading.result(path);
        }
        List<Path> children = children(path);
        List<Path> folders = children.stream().filter(Files::isDirectory).toList();
        List<Path> files = children.stream().filter(p -> !Files.isDirectory(p))
                .filter(p -> InputFileKind.of(p).isPresent()).toList();
        if (!folders.isEmpty()) {
            for (Path folder : limit(folders, spec)) {
                List<Path> tensorFiles = children(folder).stream().filter(InputsReader::holdsTensors).toList();
                if (tensorFiles.isEmpty()) {
                    throw new IllegalArgumentException(folder + " holds no .npy, .npz or .pb file; each folder of "
                            + path + " is one example of the model's inputs");
                }
                reading.add(folder.toString(), tensors(tensorFiles));
            }
        } else if (files.isEmpty()) {
            throw new IllegalArgumentException(path + " holds no input file (.npy, .npz, .pb, .wav or an image: "
                    + String.join(", ", InputFileKind.IMAGE_EXTENSIONS.stream().sorted().toList()) + ")");
        } else if (oneExample(files, matcher)) {
            reading.add(path.toString(), tensors(files));
        } else {
            for (Path file : limit(files, spec)) {
                reading.file(file);
            }
        }
        return reading.result(path);
    }

    /** The examples of one read, with what they were made of for the description. */
    private static final class Reading {
        private final InputsSpec spec;
        private final InputMatcher matcher;
        private final List<InputSample> samples = new ArrayList<>();
        private final Map<InputFileKind, Integer> kinds = new EnumMap<>(InputFileKind.class);
        private String audio = "";

        Reading(InputsSpec spec, InputMatcher matcher) {
            this.spec = spec;
            this.matcher = matcher;
        }

        void add(String source, List<NamedTensor> tensors) {
            samples.add(InputSample.single(source, matcher.match(tensors, source)));
        }

        void file(Path file) {
            InputFileKind kind = InputFileKind.of(file).orElseThrow(() -> new IllegalArgumentException(file
                    + " is not an input file Verdant reads (.npy, .npz, .pb, .wav or an image)"));
            kinds.merge(kind, 1, Integer::sum);
            switch (kind) {
                case NPY -> add(file.toString(), List.of(NumpyFiles.readNpy(file)));
                case NPZ -> add(file.toString(), NumpyFiles.readNpz(file));
                case TENSOR_PROTO -> add(file.toString(), List.of(TensorProtoFiles.read(file)));
                case IMAGE -> {
                    ModelInputs.Input input = onlyWanted(file, "an image");
                    NamedTensor image = ImageFiles.tensor(ImageFiles.decode(file), file.toString(), input,
                            spec.preprocessing());
                    add(file.toString(), List.of(image));
                }
                case WAV -> samples.add(audio(file));
            }
        }

        private InputSample audio(Path file) {
            ModelInputs.Input input = onlyWanted(file, "audio");
            long[] declared = input.shape();
            if (declared.length == 0) {
                throw new IllegalArgumentException("audio " + file + " does not fit model input '" + input.name()
                        + "' (" + InputMatcher.describe(input) + "): audio feeds an input of rank 1 or more");
            }
            float[] samples = WavFiles.read(file, spec.sampleRate());
            long fixed = declared[declared.length - 1];
            int frame = spec.frame() > 0 ? spec.frame() : fixed > 0 ? Math.toIntExact(fixed) : samples.length;
            List<Map<String, InputTensor>> steps = new ArrayList<>();
            for (int start = 0; start < samples.length; start += frame) {
                // the last frame is padded with silence, as streaming voice models are fed
                float[] values = Arrays.copyOfRange(samples, start, start + frame);
                long[] shape = new long[declared.length];
                Arrays.fill(shape, 1);
                shape[shape.length - 1] = frame;
                String source = file + " frame " + steps.size();
                NamedTensor tensor = new NamedTensor(input.name(), InputTensor.ofFloats(shape, values), source);
                steps.add(matcher.match(List.of(tensor), source));
            }
            audio = ", audio at " + spec.sampleRate() + " Hz in frames of " + frame + " samples (the last padded "
                    + "with silence)";
            return new InputSample(file.toString(), steps);
        }

        private ModelInputs.Input onlyWanted(Path file, String what) {
            List<ModelInputs.Input> wanted = matcher.wanted();
            if (wanted.size() != 1) {
                throw new IllegalArgumentException(file + " is " + what + ", which feeds one model input, but "
                        + wanted.size() + " inputs " + wanted.stream().map(ModelInputs.Input::name).toList()
                        + " have no --fill; give the others with --fill NAME=VALUE");
            }
            return wanted.get(0);
        }

        InputSamples result(Path path) {
            if (samples.isEmpty()) {
                throw new IllegalArgumentException(path + " holds no example");
            }
            List<InputSample> kept = spec.maxSamples() > 0 && samples.size() > spec.maxSamples()
                    ? samples.subList(0, spec.maxSamples()) : samples;
            int steps = kept.stream().mapToInt(s -> s.steps().size()).sum();
            String made = kinds.isEmpty() ? "" : " (" + kinds.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .collect(Collectors.joining(", ")) + ")";
            String images = kinds.containsKey(InputFileKind.IMAGE)
                    ? ", images preprocessed as " + spec.preprocessing().spec() : "";
            String fills = spec.fills().isEmpty() ? "" : ", " + spec.fills().stream()
                    .map(f -> f.name() + "=" + f.value()).collect(Collectors.joining(", ", "--fill ", ""));
            return new InputSamples(kept.size() + " example" + (kept.size() == 1 ? "" : "s")
                    + (steps > kept.size() ? " (" + steps + " steps)" : "") + " from " + path + made + images + audio
                    + fills, kept);
        }
    }

    /** Whether the tensor files of a folder are one example: several inputs, and the files named after them. */
    private static boolean oneExample(List<Path> files, InputMatcher matcher) {
        if (matcher.wanted().size() < 2 || !files.stream().allMatch(InputsReader::holdsTensors)) {
            return false;
        }
        Set<String> stems = new HashSet<>();
        files.forEach(f -> stems.add(InputFileKind.stem(f)));
        return stems.equals(matcher.wanted().stream().map(ModelInputs.Input::name).collect(Collectors.toSet()));
    }

    private static boolean holdsTensors(Path file) {
        return InputFileKind.of(file).filter(k -> k == InputFileKind.NPY || k == InputFileKind.NPZ
                || k == InputFileKind.TENSOR_PROTO).isPresent() && !Files.isDirectory(file);
    }

    private static List<NamedTensor> tensors(List<Path> files) {
        List<NamedTensor> tensors = new ArrayList<>();
        for (Path file : files) {
            switch (InputFileKind.of(file).orElseThrow()) {
                case NPY -> tensors.add(NumpyFiles.readNpy(file));
                case NPZ -> tensors.addAll(NumpyFiles.readNpz(file));
                case TENSOR_PROTO -> tensors.add(TensorProtoFiles.read(file));
                default -> throw new IllegalStateException(file.toString());
            }
        }
        return tensors;
    }

    private static <T> List<T> limit(List<T> items, InputsSpec spec) {
        return spec.maxSamples() > 0 && items.size() > spec.maxSamples() ? items.subList(0, spec.maxSamples())
                : items;
    }

    private static List<Path> children(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
