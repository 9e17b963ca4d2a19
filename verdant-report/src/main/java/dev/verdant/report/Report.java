package dev.verdant.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One report: what ran where, the models, the candidates measured (with their Pareto flags), the per-layer view of
 * the chosen model, the Green AI card and how energy was obtained. The JSON form ({@code kind = "report"}) is
 * documented in {@code docs/report-format.md}; {@link ReportView} builds one from a
 * {@link Result}.
 *
 * @param kind          always {@value #KIND}
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param title         the page's heading
 * @param run           what produced the figures
 * @param machine       where they were measured
 * @param models        the models involved, the chosen or tested one first
 * @param candidates    every measured candidate (a model at a configuration, or a recipe's output)
 * @param layers        per-layer rows of the chosen model (empty when not known)
 * @param card          the Green AI card of the chosen model
 * @param energy        how energy and emissions were obtained
 * @param findings      headline sentences shown first (for example a model against its baseline)
 * @param notes         anything that shapes how the figures should be read
 */
public record Report(String kind, int schemaVersion, String title, RunInfo run, Machine machine,
                     List<ModelEntry> models, List<Candidate> candidates, List<LayerRow> layers, GreenAiCard card,
                     EnergyBasis energy, List<String> findings, List<String> notes) {

    /** The {@code kind} of a native report file. */
    public static final String KIND = "report";
    /**
     * The schema version this code writes: 2 names the machine's CPU {@code cpu_model}, as every result does (schema
     * 1 called it {@code cpu}; it is still read).
     */
    public static final int SCHEMA_VERSION = 2;

    public Report {
        models = models == null ? List.of() : List.copyOf(models);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        layers = layers == null ? List.of() : List.copyOf(layers);
        findings = findings == null ? List.of() : List.copyOf(findings);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** The same report with {@code candidates} in place of its own (e.g. with their Pareto flags recomputed). */
    public Report withCandidates(List<Candidate> candidates) {
        return new Report(kind, schemaVersion, title, run, machine, models, candidates, layers, card, energy, findings,
                notes);
    }

    /**
     * A model involved in the run. Unknown figures are null.
     *
     * @param name                  what tables call it
     * @param role                  {@code model}, {@code baseline}, {@code original}, {@code chosen}, ...
     * @param sizeBytes             file size
     * @param params                floating-point parameters
     * @param quantizedParams       8- and 4-bit integer parameters
     * @param macs                  multiply-accumulates per inference
     * @param flops                 FLOPs per inference
     * @param trainingEnergyJoules  energy spent training it, where known
     * @param bytesByType           bytes of its stored tensors by ONNX element type (compress records them), empty
     *                              where unknown
     */
    public record ModelEntry(String name, String role, Long sizeBytes, Long params, Long quantizedParams, Long macs,
                             Long flops, Double trainingEnergyJoules, Map<String, Long> bytesByType) {

        public ModelEntry {
            bytesByType = bytesByType == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(bytesByType));
        }

        /** An entry whose tensors' types are not known. */
        public ModelEntry(String name, String role, Long sizeBytes, Long params, Long quantizedParams, Long macs,
                Long flops, Double trainingEnergyJoules) {
            this(name, role, sizeBytes, params, quantizedParams, macs, flops, trainingEnergyJoules, Map.of());
        }
    }

    /**
     * One measured candidate: a model at one runtime configuration, or the output of one compression recipe.
     * Unknown figures are null.
     *
     * @param name                         unique label, for example {@code minilm-int8 t2 b16}
     * @param model                        the {@link ModelEntry} it belongs to
     * @param configuration                the recipe or runtime setting, for example {@code threads 2, batch 16}
     * @param accuracy                     accuracy or fidelity in [0, 1]
     * @param accuracyMetric               what {@code accuracy} is, for example {@code top-1 accuracy}
     * @param sizeBytes                    the model file's size
     * @param latencyMillis                mean time per inference (a run's time over its batch size)
     * @param p50Millis                    median run time
     * @param p99Millis                    99th percentile run time
     * @param inferencesPerSecond          throughput
     * @param peakResidentBytes            process peak resident memory while it ran
     * @param energyJoulesPerInference     IT energy per inference
     * @param co2eGramsPerMillionInferences emissions of a million inferences
     * @param energyMethod                 {@code measured} or {@code estimated}
     * @param pareto                       on the Pareto front of the chart's two objectives (computed on reading)
     */
    public record Candidate(String name, String model, String configuration, Double accuracy, String accuracyMetric,
                            Long sizeBytes, Double latencyMillis, Double p50Millis, Double p99Millis,
                            Double inferencesPerSecond, Long peakResidentBytes, Double energyJoulesPerInference,
                            Double co2eGramsPerMillionInferences, String energyMethod, boolean pareto) {

        /** The same candidate with its Pareto flag set. */
        public Candidate withPareto(boolean onFront) {
            return new Candidate(name, model, configuration, accuracy, accuracyMetric, sizeBytes, latencyMillis,
                    p50Millis, p99Millis, inferencesPerSecond, peakResidentBytes, energyJoulesPerInference,
                    co2eGramsPerMillionInferences, energyMethod, onFront);
        }
    }

    /**
     * One layer (a weighted node) of the chosen model.
     *
     * @param name     node or weight name
     * @param opType   operator
     * @param params   weight elements
     * @param sparsity fraction of weights that are exactly zero
     * @param bits     bits per weight as stored (32 float, 8 int8, k-means index bits, ...)
     * @param macs     multiply-accumulates per inference
     */
    public record LayerRow(String name, String opType, Long params, Double sparsity, Integer bits, Long macs) {
    }

    /**
     * The Green AI card (after Schwartz et al., "Green AI", CACM 2020): report the cost of a result with the result.
     *
     * @param model                    the model it describes
     * @param accuracy                 accuracy or fidelity, where measured
     * @param accuracyMetric           what {@code accuracy} is
     * @param params                   parameters (floating-point plus quantized)
     * @param macs                     multiply-accumulates per inference
     * @param flops                    FLOPs per inference
     * @param energyJoulesPerInference IT energy per inference
     * @param energyMethod             {@code measured} or {@code estimated}
     * @param co2eGramsPerMillionInferences emissions of a million inferences
     * @param trainingEnergyJoules     energy spent training, where known
     * @param hardware                 what it ran on
     */
    public record GreenAiCard(String model, Double accuracy, String accuracyMetric, Long params, Long macs, Long flops,
                              Double energyJoulesPerInference, String energyMethod,
                              Double co2eGramsPerMillionInferences, Double trainingEnergyJoules, String hardware) {
    }
}
