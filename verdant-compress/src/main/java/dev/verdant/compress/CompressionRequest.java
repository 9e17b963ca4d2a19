package dev.verdant.compress;

import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.ModelRef;
import dev.verdant.runtime.InputSamples;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one compression run needs: the model, the recipe and its options, the data to calibrate and check
 * on, the tolerances, and how to measure. Build one with {@link #builder}: it names every setting and starts from
 * the defaults of {@code verdant compress}.
 *
 * @param model           the model, resolved once: its name as given, its file and its tokenizer
 * @param output          where to write the result ({@code .onnx}, or {@code .vdz} for the packed container)
 * @param recipe          the parsed recipe
 * @param options         how the int8 steps quantize
 * @param data            dataset name or path ({@code wordnet-nouns}, {@code fashion-mnist}, a file), or null for
 *                        the default of the model's kind (WordNet glosses for text encoders)
 * @param inputs          real examples from the user's files ({@code --inputs}), already matched to the model's
 *                        inputs, or null; the first half calibrates and the rest checks, without labels
 * @param inputsPath      the file or folder {@code inputs} were read from (an input of the run), or null
 * @param calibration     examples used to calibrate
 * @param checkExamples   examples used to check fidelity or accuracy (disjoint from calibration), or
 *                        {@link #DEFAULT_CHECK} for the default of the data's kind
 * @param maxAccuracyDrop tolerated accuracy drop in points, or null
 * @param minFidelity     tolerated minimum cosine similarity to the original, or null
 * @param threads         ONNX Runtime intra-op threads for every measurement
 * @param batchSize       examples per batch
 * @param sequenceLength  tokens a text example is truncated to (and padded to with {@link BatchPadding#MAX})
 * @param padding         how batches of text are padded: to each batch's longest text, as users pad them, or
 *                        every batch to {@code sequenceLength}
 * @param latencyRounds   timed runs of each model (0 skips latency)
 * @param measureEnergy   whether to measure energy per 1,000 inferences
 * @param sensitivity     whether to run the per-layer sensitivity analysis of the int8 step
 * @param seed            seeds what the retraining steps draw at random: new weights, shuffles, training subsets
 * @param version         the Verdant version, for provenance
 * @param quality         the output tolerances, the state links of a stateful model and the metrics they may name
 */
public record CompressionRequest(ModelRef model, Path output, Recipe recipe, QuantizationOptions options,
        String data, InputSamples inputs, Path inputsPath, int calibration, int checkExamples, Double maxAccuracyDrop,
        Double minFidelity, int threads,
        int batchSize, int sequenceLength, BatchPadding padding, int latencyRounds, boolean measureEnergy, boolean sensitivity,
        long seed, String version, QualitySpec quality) {

    /**
     * {@code checkExamples} asking for the default of the data's kind: labelled images or feature rows are checked on
     * their whole held-out part, up to {@link EvaluationData#MAX_DEFAULT_HELD_OUT_CHECK} examples and
     * {@link EvaluationData#MAX_DEFAULT_CHECK_BYTES} of input (a one-point judgement needs thousands of examples: 256
     * give a 95% interval of about 2 points on a 10-class model); texts and given examples
     * {@link #FEW_CHECK}.
     */
    public static final int DEFAULT_CHECK = -1;

    /** The default check set of texts and of given examples, and the least a default held-out check takes. */
    public static final int FEW_CHECK = 256;

    public CompressionRequest {
        Objects.requireNonNull(quality, "quality");
        if (calibration < 1 || (checkExamples < 1 && checkExamples != DEFAULT_CHECK)) {
            throw new IllegalArgumentException("--calibration and the check set need at least 1 example, got "
                    + calibration + " and " + checkExamples);
        }
        if (threads < 1 || batchSize < 1 || sequenceLength < 2 || latencyRounds < 0) {
            throw new IllegalArgumentException("threads, batch size and sequence length must be positive");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(padding, "padding");
        if (minFidelity != null && !(minFidelity >= -1 && minFidelity <= 1)) {
            throw new IllegalArgumentException("--min-fidelity is a cosine similarity in [-1, 1], got " + minFidelity);
        }
        if (data != null && inputs != null) {
            throw new IllegalArgumentException("give --data (a dataset) or --inputs (files of model inputs), not both");
        }
        if (maxAccuracyDrop != null && !(maxAccuracyDrop >= 0 && maxAccuracyDrop < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--max-accuracy-drop is a number of points, at least 0, got "
                    + maxAccuracyDrop);
        }
    }

    /**
     * The files this run reads (the model, its tokenizer, the data when it is a path, the {@code --inputs}, the
     * metric plugins) and the one it writes.
     */
    public RunFiles files() {
        return RunFiles.none().reading(model.file(), model.tokenizer().orElse(null), Datasets.pathOf(data))
                .reading(inputsPath).reading(quality.metrics().jars().toArray(Path[]::new)).writing("--out", output);
    }

    /**
     * A request for compressing {@code model} into {@code output} with {@code recipe}; every other setting starts at
     * the default of {@code verdant compress} (no data named, no tolerance, 64 calibration and 256 check examples,
     * 2 threads, batches of 16 texts padded to their longest, at most 128 tokens, 10 latency
     * rounds, energy measured, no sensitivity analysis, seed 1).
     */
    public static Builder builder(ModelRef model, Path output, Recipe recipe) {
        return new Builder(model, output, recipe);
    }

    /**
     * {@link #builder(ModelRef, Path, Recipe)} for a model file or built-in name, with the built-in model's
     * tokenizer if it has one.
     *
     * @throws dev.verdant.onnx.ModelFormatException with one line when {@code input} is neither a file nor a
     *                                               built-in name
     */
    public static Builder builder(String input, Path output, Recipe recipe) {
        return builder(ModelRef.resolve(input, null), output, recipe);
    }

    /** The examples to check on: as given, or {@code kindDefault} when the request asks for {@link #DEFAULT_CHECK}. */
    public int checkExamplesOr(int kindDefault) {
        return checkExamples == DEFAULT_CHECK ? kindDefault : checkExamples;
    }

    /**
     * Collects a {@link CompressionRequest} setting by setting ({@code optX}, as DJL's builders name optional
     * settings; the record's components say what each means); {@link #build} checks it as the record does.
     */
    public static final class Builder {
        private final ModelRef model;
        private final Path output;
        private final Recipe recipe;
        private QuantizationOptions options = QuantizationOptions.defaults();
        private String data;
        private InputSamples inputs;
        private Path inputsPath;
        private int calibration = 64;
        private int checkExamples = DEFAULT_CHECK;
        private Double maxAccuracyDrop;
        private Double minFidelity;
        private int threads = 2;
        private int batchSize = 16;
        private int sequenceLength = 128;
        private BatchPadding padding = BatchPadding.LONGEST;
        private int latencyRounds = 10;
        private boolean measureEnergy = true;
        private boolean sensitivity;
        private long seed = 1L;
        private String version = "unknown";
        private QualitySpec quality = QualitySpec.none();

        private Builder(ModelRef model, Path output, Recipe recipe) {
            this.model = model;
            this.output = output;
            this.recipe = recipe;
        }

        public Builder optOptions(QuantizationOptions value) {
            this.options = value;
            return this;
        }

        public Builder optData(String value) {
            this.data = value;
            return this;
        }

        /**
         * Real examples read from the user's files ({@code --inputs}) at {@code path}, instead of {@code --data}.
         */
        public Builder optInputs(InputSamples samples, Path path) {
            this.inputs = samples;
            this.inputsPath = path;
            return this;
        }

        /**
         * Examples to calibrate on, and examples (disjoint from those) to check fidelity or accuracy on, or
         * {@link CompressionRequest#DEFAULT_CHECK} for the default of the data's kind (the default).
         */
        public Builder optExamples(int calibrationExamples, int checkExamples) {
            this.calibration = calibrationExamples;
            this.checkExamples = checkExamples;
            return this;
        }

        /** The tolerated accuracy drop in points and the tolerated minimum cosine to the original; null for none. */
        public Builder optTolerances(Double maxAccuracyDrop, Double minFidelity) {
            this.maxAccuracyDrop = maxAccuracyDrop;
            this.minFidelity = minFidelity;
            return this;
        }

        public Builder optThreads(int value) {
            this.threads = value;
            return this;
        }

        public Builder optBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder optSequenceLength(int value) {
            this.sequenceLength = value;
            return this;
        }

        public Builder optPadding(BatchPadding value) {
            this.padding = value;
            return this;
        }

        public Builder optLatencyRounds(int value) {
            this.latencyRounds = value;
            return this;
        }

        public Builder optMeasureEnergy(boolean value) {
            this.measureEnergy = value;
            return this;
        }

        public Builder optSensitivity(boolean value) {
            this.sensitivity = value;
            return this;
        }

        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        public Builder optVersion(String value) {
            this.version = value;
            return this;
        }

        /** The output tolerances, state links and metrics (default: no tolerance, no state, the built-in metrics). */
        public Builder optQuality(QualitySpec value) {
            this.quality = value;
            return this;
        }

        /** @throws IllegalArgumentException as the record's constructor does, for a setting out of range */
        public CompressionRequest build() {
            return new CompressionRequest(model, output, recipe, options, data, inputs, inputsPath, calibration,
                    checkExamples, maxAccuracyDrop, minFidelity, threads, batchSize, sequenceLength, padding,
                    latencyRounds, measureEnergy, sensitivity, seed, version, quality);
        }
    }
}
