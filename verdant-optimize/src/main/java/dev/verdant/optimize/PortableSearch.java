package dev.verdant.optimize;

import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.io.AtomicFiles;
import dev.verdant.onnx.ModelRef;
import dev.verdant.optimize.SearchSpace.ModelKind;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search's {@link SearchContext} in a form that travels to another JVM (a Spark executor): the model's and its
 * tokenizer's bytes instead of their files, and every setting a candidate is built and measured with. The data
 * travels by name: a named data set is read where the candidate runs, a path must be readable there too.
 *
 * @param modelName      the model as given, for the compression reports
 * @param modelFileName  the model file's name
 * @param model          the model file's bytes
 * @param tokenizer      the tokenizer's bytes, or null for a model that does not read text
 * @param data           the {@code --data} value, or null for an encoder's default sentences
 * @param kind           what kind of model the search shapes
 * @param tolerances     what a candidate must keep
 * @param threads        intra-op thread counts measured
 * @param batchSize      examples per timed run
 * @param sequenceLength tokens a sentence is truncated to
 * @param padding        how batches of sentences are padded
 * @param calibration    calibration examples
 * @param checkExamples  check examples
 * @param measureTime    how long each thread count is timed
 * @param version        the Verdant version, for provenance
 */
public record PortableSearch(String modelName, String modelFileName, byte[] model, byte[] tokenizer, String data,
        ModelKind kind, List<Tolerance> tolerances, List<Integer> threads, int batchSize, int sequenceLength,
        BatchPadding padding, int calibration, int checkExamples, Duration measureTime, String version)
        implements Serializable {

    public PortableSearch {
        tolerances = List.copyOf(tolerances);
        threads = List.copyOf(threads);
    }

    /**
     * The context's search, read into memory.
     *
     * @param option the option that sends it away, for the error line ({@code --spark})
     * @throws IllegalArgumentException in one line when the search reads what does not travel: the user's
     *                                  {@code --inputs}, per-output {@code --tolerance}, {@code --state} or
     *                                  {@code --metric} settings
     */
    public static PortableSearch of(SearchContext context, String option) {
        OptimizeRequest request = context.request();
        QualitySpec quality = request.quality();
        if (request.inputs() != null || !quality.tolerances().isEmpty() || !quality.states().stateInputs().isEmpty()
                || !quality.metrics().jars().isEmpty()) {
            throw new IllegalArgumentException(option + " takes a search on --data with --max-accuracy-drop or "
                    + "--min-fidelity; --inputs, --tolerance, --state and --metric run on this machine only");
        }
        Optional<Path> tokenizer = context.kind() == ModelKind.TEXT_ENCODER ? request.model().tokenizer()
                : Optional.empty();
        return new PortableSearch(request.model().name(), request.model().file().getFileName().toString(),
                read(request.model().file()), tokenizer.map(PortableSearch::read).orElse(null), request.data(),
                context.kind(), context.tolerances(), request.threads(), request.batchSize(),
                request.sequenceLength(), request.padding(), request.calibration(), request.checkExamples(),
                request.measureTime(), request.version());
    }

    /**
     * The search again, its model (and tokenizer) written into {@code folder}, where its candidates go too.
     */
    public SearchContext open(Path folder) {
        Path modelFile = folder.resolve(modelFileName);
        AtomicFiles.write(modelFile, model);
        Path tokenizerFile = null;
        if (tokenizer != null) {
            tokenizerFile = folder.resolve("tokenizer.json");
            AtomicFiles.write(tokenizerFile, tokenizer);
        }
        OptimizeRequest request = new OptimizeRequest(new ModelRef(modelName, modelFile,
                Optional.ofNullable(tokenizerFile)), data, tolerances, Objective.ENERGY,
                SearchBudget.of(Duration.ofDays(1)), threads, batchSize, sequenceLength, padding, calibration,
                checkExamples, measureTime, folder, folder.resolve("unused.onnx"), version, null, Map.of(), null,
                null, QualitySpec.none());
        return new SearchContext(request, kind, tolerances, SearchContext.feed(request, kind), folder);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
