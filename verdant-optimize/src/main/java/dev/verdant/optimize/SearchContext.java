package dev.verdant.optimize;

import dev.verdant.compress.EvaluationData;
import dev.verdant.optimize.SearchSpace.ModelKind;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.SampleFeed;
import java.nio.file.Path;
import java.util.List;

/**
 * What every candidate of one search is built, checked and measured with, settled once before the first candidate:
 * the request, the kind of model, the tolerances in force and the inputs timed.
 *
 * @param request         the search
 * @param kind            what kind of model it shapes
 * @param tolerances      what a candidate must keep (the kind's defaults, or those stated)
 * @param feed            the inputs speed and energy are measured on
 * @param candidateFolder where the candidates' models are written
 */
public record SearchContext(OptimizeRequest request, ModelKind kind, List<Tolerance> tolerances, Feed feed,
        Path candidateFolder) {

    /** Sentences or images the speed and energy runs cycle through. */
    static final int BENCH_SAMPLES = 64;
    /** Seed of the benchmark's sample choice. */
    static final long SEED = 42;

    public SearchContext {
        tolerances = List.copyOf(tolerances);
    }

    /** The inputs a search of this kind is checked on, as a {@code --data} value or a description of the user's. */
    static String dataSpec(OptimizeRequest request, ModelKind kind) {
        return kind == ModelKind.OUTPUTS ? request.inputs().description()
                : request.data() != null ? request.data() : EvaluationData.DEFAULT_TEXTS;
    }

    /** The inputs a search of this kind times its candidates on: the user's examples, or samples of its data. */
    static Feed feed(OptimizeRequest request, ModelKind kind) {
        Path tokenizer = kind == ModelKind.TEXT_ENCODER ? request.model().requireTokenizer() : null;
        return kind == ModelKind.OUTPUTS ? new SampleFeed(request.inputs(), request.quality().states())
                : Feed.fromData(dataSpec(request, kind), tokenizer, request.sequenceLength(), request.padding(),
                        BENCH_SAMPLES, SEED);
    }
}
