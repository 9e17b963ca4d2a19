package dev.verdant.optimize;

import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.onnx.ModelRef;
import dev.verdant.runtime.InputSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one search needs.
 *
 * @param model          the model, resolved once: its name as given, its file and (for an encoder) its tokenizer
 * @param data           real inputs: labelled examples for a classifier (required), sentences for an encoder (null
 *                       for WordNet noun glosses)
 * @param tolerances     what the chosen model must keep; empty for the default of the model's kind (1% relative
 *                       accuracy drop for classifiers, min cosine 0.99 for encoders)
 * @param objective      what to minimize among the candidates that meet the tolerance
 * @param budget         how much searching this run may do
 * @param threads        intra-op thread counts to measure every candidate at
 * @param batchSize      examples per run when measuring speed and energy
 * @param sequenceLength tokens a sentence is truncated to, for encoders
 * @param padding        how batches of sentences are padded, for encoders: to each batch's longest text (as users
 *                       pad them) or every batch to {@code sequenceLength}
 * @param calibration    examples the int8 steps calibrate on
 * @param checkExamples  examples accuracy or fidelity is checked on (disjoint from the calibration ones)
 * @param measureTime    how long each thread count of each candidate is timed (energy needs about a second)
 * @param work           the work folder: candidate models, the resumable state, the report
 * @param out            where the chosen model is written (never the input)
 * @param version        the Verdant version, for provenance
 * @param command        the command line, for the report (null when not run from one)
 * @param config         every option the command ran with, under its config key, for the report (its
 *                       {@code run.config}, which {@code --config} reads back to repeat the run); empty when not run
 *                       from a command line
 * @param inputs         real examples from the user's files ({@code --inputs}) instead of {@code data}, or null:
 *                       candidates are checked and measured on them, with no labels (judged by fidelity, or, for a model that is not a text encoder, by its outputs' tolerances)
 * @param inputsPath     the file or folder {@code inputs} were read from, or null
 * @param quality        per-output tolerances, state links and metrics (the caller closes the registry)
 */
public record OptimizeRequest(ModelRef model, String data, List<Tolerance> tolerances,
        Objective objective, SearchBudget budget, List<Integer> threads, int batchSize, int sequenceLength,
        BatchPadding padding, int calibration, int checkExamples, Duration measureTime, Path work, Path out, String version,
        String command, Map<String, Object> config, InputSamples inputs, Path inputsPath, QualitySpec quality) {

    public OptimizeRequest {
        Objects.requireNonNull(quality, "quality");
        tolerances = List.copyOf(tolerances);
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        Objects.requireNonNull(padding, "padding");
        threads = List.copyOf(threads);
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads needs one or more counts of at least 1, got " + threads);
        }
        if (batchSize < 1 || sequenceLength < 2 || calibration < 1 || checkExamples < 1) {
            throw new IllegalArgumentException("batch size, sequence length, calibration and check examples must be "
                    + "positive");
        }
        if (measureTime.isNegative() || measureTime.isZero()) {
            throw new IllegalArgumentException("the measuring time must be positive, got " + measureTime);
        }
        if (data != null && inputs != null) {
            throw new IllegalArgumentException("give --data (a dataset) or --inputs (files of model inputs), not both");
        }
        if (inputs != null && tolerances.stream().anyMatch(t -> t instanceof Tolerance.AccuracyDrop)) {
            throw new IllegalArgumentException("--max-accuracy-drop needs labelled --data; --inputs has no labels "
                    + "(give --min-fidelity)");
        }
    }

    /** A request on {@code data} (a dataset), with no {@code --inputs}. */
    public OptimizeRequest(ModelRef model, String data, List<Tolerance> tolerances, Objective objective,
            SearchBudget budget, List<Integer> threads, int batchSize, int sequenceLength, BatchPadding padding,
            int calibration, int checkExamples, Duration measureTime, Path work, Path out, String version,
            String command) {
        this(model, data, tolerances, objective, budget, threads, batchSize, sequenceLength, padding, calibration,
                checkExamples, measureTime, work, out, version, command, Map.of(), null, null, QualitySpec.none());
    }
}
