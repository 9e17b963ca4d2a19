package dev.verdant.cli.option;

import dev.verdant.inputs.Fill;
import dev.verdant.inputs.ImagePreprocessing;
import dev.verdant.inputs.InputsReader;
import dev.verdant.inputs.InputsSpec;
import dev.verdant.onnx.ModelRef;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * A user's own files of model inputs, as {@code compress}, {@code optimize} and {@code bench} take them:
 * {@code --inputs} with the {@code --preprocess} of its images, the {@code --sample-rate} and {@code --frame} of its
 * audio, and {@code --fill} constants for inputs no file gives. Read by verdant-inputs' {@link InputsReader}.
 */
public final class InputOptions {

    @Option(names = "--inputs", paramLabel = "PATH", description = "Real model inputs from files: a .npy, .npz, "
            + ".pb (ONNX TensorProto), .wav or image file, or a folder of them (ONNX's test_data_set_N/input_K.pb "
            + "layout, one subfolder per example, or one file per example); matched to the model's inputs by name, "
            + "else in order.")
    Path inputs;

    @Option(names = "--preprocess", paramLabel = "SPEC", description = "How images become tensors: a preset "
            + "(imagenet: shorter side 256, center crop 224, RGB, ImageNet mean/std; imagenet-bgr: the same in BGR "
            + "order; unit: RGB /255 at the model's size; gray; raw: 0..255; inception: [-1, 1]) and/or key=value "
            + "pairs: resize=N|WxH, max-side=N, crop=N|WxH, multiple=M, scale=F, mean=a,b,c, std=a,b,c, "
            + "layout=nchw|nhwc, channels=rgb|bgr|gray (default: " + ImagePreprocessing.DEFAULT + ").")
    String preprocess;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "" + InputsSpec.DEFAULT_SAMPLE_RATE,
            description = "The rate WAV inputs must have; another is refused (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--frame", paramLabel = "N", description = "Cut audio into steps of N samples (default: the "
            + "fixed length of the model's audio input, else the whole file).")
    Integer frame;

    @Option(names = "--fill", paramLabel = "NAME=VALUE", description = "A constant for a model input no file "
            + "gives, in its declared shape (dynamic axes 1), e.g. --fill sr=16000 (repeatable).")
    List<String> fills = new ArrayList<>();

    /** Whether {@code --inputs} was given. */
    public boolean given() {
        return inputs != null;
    }

    /** {@code --inputs} as given, or null. */
    public Path path() {
        return inputs;
    }

    /**
     * The examples {@code --inputs} names, matched to the inputs of {@code model}; null when {@code --inputs} was
     * not given.
     *
     * @param maxSamples examples to read at most (files in name order), or 0 for all
     * @throws IllegalArgumentException with one line for a bad file, option or mismatch, or for an option of this
     *                                  group given without {@code --inputs}
     */
    public InputSamples read(ModelRef model, int maxSamples) {
        return read(model, maxSamples, Set.of());
    }

    /**
     * As {@link #read(ModelRef, int)}, for a stateful model: {@code carried} are the inputs {@code --state} feeds from
     * the previous step (zeros at the first), which no file need give.
     */
    public InputSamples read(ModelRef model, int maxSamples, Collection<String> carried) {
        if (inputs == null) {
            if (preprocess != null || frame != null || !fills.isEmpty()) {
                throw new IllegalArgumentException("--preprocess, --frame and --fill shape the files of --inputs; "
                        + "give --inputs");
            }
            return null;
        }
        InputsSpec spec = new InputsSpec(inputs, ImagePreprocessing.parse(preprocess), sampleRate,
                frame == null ? 0 : frame, fills.stream().map(Fill::parse).toList(), Set.copyOf(carried), maxSamples);
        return InputsReader.read(spec, ModelInputs.of(model.read()));
    }
}
