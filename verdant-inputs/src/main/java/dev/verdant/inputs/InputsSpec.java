package dev.verdant.inputs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the user said about their inputs: {@code --inputs}, {@code --preprocess}, {@code --sample-rate},
 * {@code --frame} and {@code --fill}, plus what the command needs of them.
 *
 * @param path          a file ({@code .npy}, {@code .npz}, {@code .pb}, {@code .wav}, an image) or a folder of them
 * @param preprocessing how images become tensors
 * @param sampleRate    the rate WAV files must have, in Hz
 * @param frame         samples per step of audio, or 0 for the model's fixed length of its audio input (the whole
 *                      file when it fixes none)
 * @param fills         constants for model inputs no file provides
 * @param carried       model inputs the caller carries from step to step (state), which files need not give
 * @param maxSamples    examples to read at most (files in name order), or 0 for all
 */
public record InputsSpec(Path path, ImagePreprocessing preprocessing, int sampleRate, int frame, List<Fill> fills,
        Set<String> carried, int maxSamples) {

    /** The rate WAV files must have when {@code --sample-rate} is not given: what speech models take. */
    public static final int DEFAULT_SAMPLE_RATE = 16_000;

    public InputsSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(preprocessing, "preprocessing");
        fills = List.copyOf(fills);
        carried = Set.copyOf(carried);
        if (sampleRate < 1) {
            throw new IllegalArgumentException("--sample-rate must be a positive number of Hz, got " + sampleRate);
        }
        if (frame < 0) {
            throw new IllegalArgumentException("--frame must be a positive number of samples, got " + frame);
        }
        if (maxSamples < 0) {
            throw new IllegalArgumentException("the number of examples to read cannot be negative");
        }
    }

    /** {@code path} with every other setting at its default: preset {@code unit}, 16 kHz, no fill. */
    public static InputsSpec of(Path path) {
        return new InputsSpec(path, ImagePreprocessing.parse(null), DEFAULT_SAMPLE_RATE, 0, List.of(), Set.of(), 0);
    }

    /** This spec reading at most {@code count} examples. */
    public InputsSpec withMaxSamples(int count) {
        return new InputsSpec(path, preprocessing, sampleRate, frame, fills, carried, count);
    }
}
