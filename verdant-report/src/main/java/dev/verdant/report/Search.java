package dev.verdant.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verdant.report.Report.LayerRow;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * What one {@code verdant optimize} search found, the part of a {@link Result} of kind {@value Result#OPTIMIZE} (the
 * run, machine and energy basis are the result's own): every candidate tried, every operating point measured (a
 * candidate at one thread count), the Pareto front of quality, energy and size, and the point chosen for the
 * objective among those that meet the tolerance.
 *
 * @param model      the model as given
 * @param modelKind  {@code classifier} or {@code text-encoder}
 * @param objective  what was minimized
 * @param tolerances what the chosen model had to keep, as phrases
 * @param candidates every finished candidate (failed ones included), in the order tried
 * @param points     every operating point, in the order of the candidates
 * @param front      the names of the points on the three-way Pareto front
 * @param chosen     the name of the point chosen (the original's when no candidate beat it)
 * @param original   the name of the original's point at the first thread count asked for: the "before" of the
 *                   before/after table
 * @param layers     the chosen model's per-layer view (weights, zeros, bits, MACs)
 * @param skipped    candidate ids left untried when the budget ran out
 * @param resumed    candidates taken from the state file instead of measured again
 * @param built      candidates measured by this run (the original included)
 * @param modelOut   the chosen model's file
 * @param reportHtml the HTML report
 * @param reportJson the report as JSON ({@code kind = "report"})
 * @param executors  where the candidates were built and measured when not on this machine (Spark executors), or
 *                   null
 */
public record Search(String model, String modelKind, Objective objective, List<String> tolerances,
        List<Candidate> candidates, List<Point> points, List<String> front, String chosen, String original,
        List<LayerRow> layers, List<String> skipped, int resumed, int built, String modelOut, String reportHtml,
        String reportJson, @JsonInclude(JsonInclude.Include.NON_NULL) Executors executors) {

    /**
     * The cluster a search's candidates were built and measured on.
     *
     * @param master the Spark master
     * @param hosts  the hosts of the executors that measured candidates, in the order they first did
     * @param caveat what the timings are worth: every executor must be the target hardware
     */
    public record Executors(String master, List<String> hosts, String caveat) {

        public Executors {
            hosts = List.copyOf(hosts);
        }

        /** One line for the console and the report's notes. */
        public String describe() {
            return "candidates built and measured on the Spark executors of " + master + " at "
                    + String.join(", ", hosts) + "; " + caveat;
        }
    }

    /** The {@link #modelKind} of a model that reads token ids and writes embeddings. */
    public static final String TEXT_ENCODER = "text-encoder";
    /** The {@link #modelKind} of a model that reads examples and writes class scores. */
    public static final String CLASSIFIER = "classifier";
    /**
     * The {@link #modelKind} of any other model (no labels, not a text encoder): judged by every output's tolerance
     * on the user's real inputs.
     */
    public static final String OUTPUTS = "outputs";

    public Search {
        tolerances = tolerances == null ? List.of() : List.copyOf(tolerances);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        points = points == null ? List.of() : List.copyOf(points);
        front = front == null ? List.of() : List.copyOf(front);
        layers = layers == null ? List.of() : List.copyOf(layers);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    /** The chosen operating point. */
    public Point chosenPoint() {
        return point(chosen);
    }

    /** The original's operating point the chosen one is compared with. */
    public Point originalPoint() {
        return point(original);
    }

    /** The operating point named {@code name}. */
    public Point point(String name) {
        return points.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no operating point " + name));
    }

    /** The candidate with id {@code id}. */
    public Candidate candidate(String id) {
        return candidates.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no candidate " + id));
    }

    /** The candidate {@code point} runs. */
    public Candidate candidateOf(Point point) {
        return candidate(point.candidate());
    }

    /** Whether the chosen point is a compressed model rather than the original. */
    public boolean improved() {
        return !candidateOf(chosenPoint()).original();
    }

    /**
     * What the search minimized, with the unit its values are shown in.
     *
     * @param name         the name as the option spells it: {@code energy}, {@code latency} or {@code size}
     * @param label        what it is, e.g. {@code energy per inference}
     * @param unit         the unit values are shown in, e.g. {@code mJ}
     * @param displayScale shown value = value in the base unit (joules, milliseconds, bytes) × this
     */
    public record Objective(String name, String label, String unit, double displayScale) {

        /** A value in the base unit as tables show it, e.g. {@code 12.300 mJ}. */
        public String format(double value) {
            return String.format(Locale.ROOT, "%.3f %s", value * displayScale, unit);
        }
    }

    /**
     * One candidate the search finished: the model a recipe produced, or why it could not be produced.
     *
     * @param id           the recipe plus any setting that differs from the defaults, {@code original} for the model
     *                     as given
     * @param original     whether it is the model as given
     * @param error        why the recipe could not be applied, or null when it was
     * @param modelFile    the candidate model's file, or null on error
     * @param facts        size and compute of the model, or null on error
     * @param quality      accuracy or fidelity against the original, or null
     * @param energyMethod {@code measured} or {@code estimated}, as the energy module says
     * @param seconds      how long building, checking and measuring it took
     */
    public record Candidate(String id, boolean original, String error, String modelFile, ModelFacts facts,
            Quality quality, String energyMethod, double seconds) {

        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * One choice the search could make: a candidate run at one thread count. Its time and energy are the original's
     * at that thread count scaled by the ratios measured side by side with it.
     *
     * @param name                          how tables name it, e.g. {@code int8-dynamic t2}
     * @param candidate                     the id of the candidate it runs
     * @param threads                       ONNX Runtime intra-op threads
     * @param batchSize                     examples per run
     * @param millisPerInference            mean run time over the batch size
     * @param p50Millis                     median run time
     * @param p99Millis                     99th percentile run time
     * @param inferencesPerSecond           throughput
     * @param peakResidentBytes             process peak resident memory while it ran (0 where unknown)
     * @param energyJoulesPerInference      IT energy per inference
     * @param co2eGramsPerMillionInferences emissions of a million inferences
     * @param objectiveValue                the objective's value in its base unit (lower is better)
     * @param meetsTolerance                whether the candidate's quality is within the tolerance
     */
    public record Point(String name, String candidate, int threads, int batchSize, double millisPerInference,
            double p50Millis, double p99Millis, double inferencesPerSecond, long peakResidentBytes,
            double energyJoulesPerInference, double co2eGramsPerMillionInferences, double objectiveValue,
            boolean meetsTolerance) {
    }

    /**
     * Size and compute of a model, as the benchmark counted them for the measured input shapes.
     *
     * @param bytes           file size
     * @param params          floating-point parameters
     * @param quantizedParams 8-bit (or narrower) integer parameters
     * @param macs            multiply-accumulates per inference
     * @param flops           FLOPs per inference
     */
    public record ModelFacts(long bytes, long params, long quantizedParams, long macs, long flops) {
    }

    /**
     * How well a candidate reproduces the original on the check data. Unknown figures are null.
     *
     * @param accuracy         the candidate's top-1 accuracy in [0, 1] (labelled data only)
     * @param originalAccuracy the original's top-1 accuracy on the same examples
     * @param minCosine        the lowest per-example cosine of the candidate's output to the original's
     * @param meanCosine       the mean per-example cosine
     * @param examples         how many examples were checked
     * @param outputsHeld      whether every output held its tolerance (stated, or its kind's default), or null
     *                         when the outputs were not judged (and in files written before they were)
     * @param outputs          each judged output's measure against its tolerance, one line each
     *                         ({@code sigmoid_0.tmp_0 iou@0.5 0.6970 (needs >=0.9): not held}); empty when none was judged
     */
    public record Quality(Double accuracy, Double originalAccuracy, Double minCosine, Double meanCosine,
            int examples, Boolean outputsHeld, List<String> outputs) {

        public Quality {
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
        }

        /** A quality with no output judged one by one. */
        public Quality(Double accuracy, Double originalAccuracy, Double minCosine, Double meanCosine, int examples,
                Boolean outputsHeld) {
            this(accuracy, originalAccuracy, minCosine, meanCosine, examples, outputsHeld, List.of());
        }

        /** The original's own quality: its accuracy, and fidelity 1 to itself by definition. */
        public static Quality ofOriginal(Double originalAccuracy, int examples) {
            return new Quality(originalAccuracy, originalAccuracy, 1.0, 1.0, examples, true);
        }

        /** The figure the front and tables rank by: accuracy when labelled, else the minimum cosine. */
        public Double score() {
            return accuracy != null ? accuracy : minCosine;
        }

        /** What {@link #score()} is. */
        public String scoreMetric() {
            return accuracy != null ? "top-1 accuracy" : "min cosine fidelity";
        }
    }
}
