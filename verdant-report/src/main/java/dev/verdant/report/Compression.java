package dev.verdant.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one {@code verdant compress} run did and what it cost, the part of a {@link Result} of kind
 * {@value Result#COMPRESS}: sizes, parameters and compute of both models, latency side by side in ONNX Runtime,
 * fidelity or accuracy on real inputs, energy per 1,000 inferences, the checks against the stated tolerances, and the
 * provenance written into the output.
 *
 * @param input        the input file or built-in name
 * @param output       the output file, or null when a failed check kept it from being written
 * @param recipe       the recipe as given
 * @param steps        each step's name and the facts it reported
 * @param original     the input model's figures
 * @param compressed   the output model's figures
 * @param sizeRatio    original bytes / compressed bytes
 * @param latency      side-by-side latency, or null when not measured
 * @param fidelity     output fidelity to the original on real inputs, or null
 * @param accuracy     accuracy on labelled data, or null
 * @param energy       energy per 1,000 inferences, or null when not measured
 * @param sensitivity  per-layer sensitivity (most sensitive first), empty unless asked for
 * @param checks       each tolerance checked and whether it held
 * @param provenance   what was written into the output's {@code metadata_props}
 * @param outputs      one row per output of the model: its measures against the original's, its tolerance and
 *                     whether it held; empty when the run had no real inputs (and in files written before it)
 */
public record Compression(String input, String output, String recipe, List<StepReport> steps,
        ModelFigures original, ModelFigures compressed, double sizeRatio, Latency latency, Fidelity fidelity,
        Accuracy accuracy, EnergyPerThousand energy, List<LayerSensitivity> sensitivity, List<Check> checks,
        Map<String, String> provenance, List<OutputRow> outputs) {

    public Compression {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        steps = steps == null ? List.of() : List.copyOf(steps);
        sensitivity = sensitivity == null ? List.of() : List.copyOf(sensitivity);
        checks = checks == null ? List.of() : List.copyOf(checks);
        // the order given (a file's order when read back), so notes made from it keep it
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether every tolerance held. */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * One recipe step's result.
     *
     * @param step  the step as the recipe spells it
     * @param facts what the pass reported
     */
    public record StepReport(String step, Map<String, Object> facts) {
    }

    /**
     * Size and compute of one model.
     *
     * @param bytes           serialized size in bytes
     * @param params          floating-point parameters
     * @param quantizedParams 8-bit (or narrower) integer parameters
     * @param macs            multiply-accumulates for one batch of the measured input shape (a lower bound when
     *                        {@code nodesWithUnknownCost} is not 0)
     * @param nodesWithUnknownCost nodes the cost model could not count (contrib ops)
     * @param nodes           node count
     * @param bytesByType     bytes of the stored tensors (initializers and constants) by ONNX element type
     *                        ({@code float}, {@code int8}, ...), so a table left in float shows; empty in files
     *                        written before it was recorded
     */
    public record ModelFigures(long bytes, long params, long quantizedParams, long macs, int nodesWithUnknownCost,
            int nodes, Map<String, Long> bytesByType) {

        public ModelFigures {
            bytesByType = bytesByType == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bytesByType));
        }
    }

    /**
     * Median latency per batch, both models in the same run, taking turns.
     *
     * @param threads          ONNX Runtime intra-op threads
     * @param batchShape       the input batch shape, e.g. {@code 16x128}
     * @param originalMillis   median milliseconds per batch, original
     * @param compressedMillis median milliseconds per batch, compressed
     * @param speedup          original / compressed
     * @param rounds           timed runs of each model
     */
    public record Latency(int threads, String batchShape, double originalMillis, double compressedMillis,
            double speedup, int rounds) {
    }

    /**
     * Top-1 accuracy of both models on labelled data.
     *
     * @param examples   how many labelled examples
     * @param original   accuracy of the original, in [0, 1]
     * @param compressed accuracy of the compressed model, in [0, 1]
     * @param dropPoints (original - compressed) × 100
     * @param originalOnly   examples only the original got right; null in records written before it was kept
     * @param compressedOnly examples only the compressed model got right; null likewise
     */
    public record Accuracy(int examples, double original, double compressed, double dropPoints, Integer originalOnly,
            Integer compressedOnly) {

        /** Without the per-example disagreements (no margin can be given). */
        public Accuracy(int examples, double original, double compressed, double dropPoints) {
            this(examples, original, compressed, dropPoints, null, null);
        }

        /**
         * Half the width of the 95% confidence interval of the difference, in points: both models answered the same
         * examples, so only those they disagree on carry its uncertainty (the paired normal interval, 1.96 standard
         * errors of the mean per-example difference). 256 examples leave about ±1.5 points on a model that changed
         * eight answers; empty when the disagreements were not recorded.
         */
        public OptionalDouble marginPoints() {
            if (originalOnly == null || compressedOnly == null || examples < 2) {
                return OptionalDouble.empty();
            }
            double n = examples;
            double mean = (compressedOnly - originalOnly) / n;
            double variance = Math.max(0, (originalOnly + compressedOnly) / n - mean * mean);
            return OptionalDouble.of(1.96 * Math.sqrt(variance / n) * 100);
        }
    }

    /**
     * Energy per 1,000 inferences (examples, not batches), each model measured over the same batches.
     *
     * @param originalJoules   joules per 1,000 inferences, original
     * @param compressedJoules joules per 1,000 inferences, compressed
     * @param method           how the energy module measured (measured counter or estimate)
     */
    public record EnergyPerThousand(double originalJoules, double compressedJoules, String method) {
    }

    /**
     * One tolerance check.
     *
     * @param name      what was checked, e.g. {@code min-fidelity}
     * @param limit     the stated limit
     * @param actual    the measured value
     * @param passed    whether it held
     */
    public record Check(String name, double limit, double actual, boolean passed) {
    }

    /**
     * How closely the compressed model reproduces the original on real inputs (compress's fidelity meter says how it
     * is measured).
     *
     * @param minCosine            the lowest per-example cosine similarity
     * @param meanCosine           the mean per-example cosine similarity
     * @param maxAbsDiff           the largest absolute difference of any output element
     * @param maxAbsDiffRealTokens the largest absolute difference at positions the attention mask marks real
     * @param examples             how many examples were compared
     */
    public record Fidelity(double minCosine, double meanCosine, double maxAbsDiff, double maxAbsDiffRealTokens,
            int examples) {
    }

    /**
     * The error one layer adds when it alone is quantized.
     *
     * @param node       the node's name (after any fusion the pass runs first)
     * @param opType     its op type before quantization
     * @param minCosine  lowest per-example cosine to the float model's output
     * @param meanCosine mean per-example cosine
     * @param maxAbsDiff largest absolute output difference
     */
    public record LayerSensitivity(String node, String opType, double minCosine, double meanCosine,
            double maxAbsDiff) {
    }

    /**
     * One output of the model compared with the original's over the check set.
     *
     * @param output     the output's name
     * @param kind       what it looks like ({@code logits}, {@code probability-map}, {@code features}, ...)
     * @param examples   examples (whole sequences, for a stateful model) compared
     * @param measures   each measure by metric name ({@code cos}, {@code max-abs}, {@code top1-agree}, ...)
     * @param tolerances the tolerances it is held to ({@code top1-agree>=0.99}); empty when none
     * @param passed     whether they all held, or null when there is none
     * @param byDefault  whether the tolerances are the defaults of its kind, shown for information (a compress run
     *                   fails only on a stated tolerance)
     */
    public record OutputRow(String output, String kind, int examples, Map<String, Double> measures,
            List<String> tolerances, Boolean passed, boolean byDefault) {

        public OutputRow {
            measures = measures == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(measures));
            tolerances = tolerances == null ? List.of() : List.copyOf(tolerances);
        }
    }
}
