package dev.verdant.optimize;

import dev.verdant.report.EnergyBasis;
import dev.verdant.report.Machine;
import dev.verdant.report.Report.LayerRow;
import java.util.List;

/**
 * What a search found: every operating point measured, the Pareto front of accuracy (or fidelity), energy and size,
 * and the point chosen for the objective among those that meet the tolerance.
 *
 * @param model           the model as given
 * @param kind            what kind of model it is
 * @param objective       what was minimized
 * @param tolerances      what the chosen model had to keep, as phrases
 * @param inputs          the data the candidates were checked and measured on
 * @param candidates      every finished candidate (failed ones included), in the order tried
 * @param points          every operating point (a successful candidate at one thread count)
 * @param front           the points on the three-way Pareto front
 * @param chosen          the point chosen (the original when no candidate beat it)
 * @param original        the original at the first thread count asked for: the "before" of the before/after table
 * @param layers          the chosen model's per-layer view (weights, zeros, bits, MACs)
 * @param skipped         plan ids left untried when the budget ran out
 * @param resumed         candidates taken from the state file instead of measured again
 * @param built           candidates measured by this run (the original included)
 * @param seconds         wall-clock time of this run
 * @param machine         where the candidates were measured
 * @param energy          how energy was obtained
 * @param modelOut        the chosen model's file
 * @param reportHtml      the HTML report
 * @param reportJson      the report as JSON ({@code kind = "report"})
 */
public record OptimizeResult(String model, SearchSpace.ModelKind kind, Objective objective, List<String> tolerances,
        String inputs, List<CandidateResult> candidates, List<OperatingPoint> points, List<OperatingPoint> front,
        OperatingPoint chosen, OperatingPoint original, List<LayerRow> layers, List<String> skipped, int resumed, int built, double seconds,
        Machine machine, EnergyBasis energy, String modelOut, String reportHtml, String reportJson) {

    public OptimizeResult {
        tolerances = List.copyOf(tolerances);
        candidates = List.copyOf(candidates);
        points = List.copyOf(points);
        front = List.copyOf(front);
        layers = List.copyOf(layers);
        skipped = List.copyOf(skipped);
    }

    /** Whether the chosen point is a compressed model rather than the original. */
    public boolean improved() {
        return !chosen.candidate().plan().isOriginal();
    }
}
