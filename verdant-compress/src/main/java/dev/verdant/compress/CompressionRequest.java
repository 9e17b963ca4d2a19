package dev.verdant.compress;

import dev.verdant.compress.quantize.QuantizationOptions;
import java.nio.file.Path;

/**
 * Everything one compression run needs: the model, the recipe and its options, the data to calibrate and check
 * on, the tolerances, and how to measure.
 *
 * @param input           model file or built-in name ({@code minilm})
 * @param output          where to write the result ({@code .onnx}, or {@code .vdz} for the packed container)
 * @param recipe          the parsed recipe
 * @param options         how the int8 steps quantize
 * @param data            dataset name or path ({@code wordnet-nouns}, {@code fashion-mnist}, a file), or null for
 *                        the default of the model's kind (WordNet glosses for text encoders)
 * @param tokenizer       the HuggingFace {@code tokenizer.json} of a text encoder, or null (built-in models bring
 *                        theirs)
 * @param calibration     examples used to calibrate
 * @param checkExamples   examples used to check fidelity or accuracy (disjoint from calibration)
 * @param maxAccuracyDrop tolerated accuracy drop in points, or null
 * @param minFidelity     tolerated minimum cosine similarity to the original, or null
 * @param threads         ONNX Runtime intra-op threads for every measurement
 * @param batchSize       examples per batch
 * @param sequenceLength  tokens per text example (padded)
 * @param latencyRounds   timed runs of each model (0 skips latency)
 * @param measureEnergy   whether to measure energy per 1,000 inferences
 * @param sensitivity     whether to run the per-layer sensitivity analysis of the int8 step
 * @param seed            seeds what the retraining steps draw at random: new weights, shuffles, training subsets
 * @param version         the Verdant version, for provenance
 */
public record CompressionRequest(String input, Path output, Recipe recipe, QuantizationOptions options, String data,
        Path tokenizer, int calibration, int checkExamples, Double maxAccuracyDrop, Double minFidelity, int threads,
        int batchSize, int sequenceLength, int latencyRounds, boolean measureEnergy, boolean sensitivity,
        long seed, String version) {

    public CompressionRequest {
        if (calibration < 1 || checkExamples < 1) {
            throw new IllegalArgumentException("--calibration and the check set need at least 1 example, got "
                    + calibration + " and " + checkExamples);
        }
        if (threads < 1 || batchSize < 1 || sequenceLength < 2 || latencyRounds < 0) {
            throw new IllegalArgumentException("threads, batch size and sequence length must be positive");
        }
        if (minFidelity != null && (minFidelity < -1 || minFidelity > 1)) {
            throw new IllegalArgumentException("--min-fidelity is a cosine similarity in [-1, 1], got " + minFidelity);
        }
        if (maxAccuracyDrop != null && maxAccuracyDrop < 0) {
            throw new IllegalArgumentException("--max-accuracy-drop is in points and cannot be negative, got "
                    + maxAccuracyDrop);
        }
    }
}
