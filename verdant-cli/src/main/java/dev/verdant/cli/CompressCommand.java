package dev.verdant.cli;

import dev.verdant.compress.CompressionReport;
import dev.verdant.compress.CompressionReport.Check;
import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.Recipe.QuantizationOptions;
import dev.verdant.compress.quantize.CalibrationMethod;
import dev.verdant.compress.quantize.NodeSelector;
import dev.verdant.compress.quantize.SensitivityAnalysis.LayerSensitivity;
import dev.verdant.report.ReportJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verdant compress}: applies a recipe and proves the result still works, in one report. */
@Command(
        name = "compress",
        header = "Shrink a model with a recipe and check it against the original.",
        mixinStandardHelpOptions = true,
        description = "Compress a model with a recipe and check the result against the original in ONNX Runtime on real "
                + "inputs: size, params, MACs, latency side by side, fidelity (cosine, max abs diff) or accuracy, and "
                + "energy per 1,000 inferences. Steps (comma-separated, applied in order): fuse, int8-dynamic, "
                + "int8-static, prune:SPARSITY (0.9, 0.9/layer, 2:4), share:BITS (5bit). For a transformer encoder "
                + "int8-dynamic fuses first. Opt-in for a fused encoder: unpad (e.g. int8-dynamic,unpad) runs per-token "
                + "work on real tokens only; outputs at padded (mask 0) positions become 0. A broken tolerance exits 1 "
                + "and writes nothing.",
        footer = {"", "Example: verdant compress minilm --recipe int8-dynamic --out minilm-int8.onnx --min-fidelity 0.99"})
final class CompressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX file, or a built-in model: ${COMPLETION-CANDIDATES}",
            completionCandidates = InspectCommand.BuiltinNames.class)
    String model;

    @Option(names = "--recipe", required = true, paramLabel = "STEPS",
            description = "Comma-separated steps, e.g. fuse,int8-dynamic or prune:0.9,share:5bit. Steps: fuse, "
                    + "int8-dynamic, int8-static, unpad (padded positions return 0), prune:S (or :S/layer, :N:M), "
                    + "share:Bbit; with retraining (need --data): "
                    + "prune:S,gradual, prune-structured:F, int8-qat, deep-compression[,bits=N|auto,tolerance=P], "
                    + "distill:student=mlp|lenet5|mobilenet|FILE[,T=4,alpha=0.9,cache=true]; retraining steps take "
                    + "epochs=, lr=, batch=, examples=. On a BERT-style encoder prune-structured:F or "
                    + "prune-structured:ffn=F,heads=F removes FFN channels and attention heads with least-squares "
                    + "reconstruction on the text of --data, and epochs=N fine-tunes it toward the original's embeddings.")
    String recipe;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The compressed model: .onnx, or .vdz for the packed container. Never the input.")
    Path out;

    @Option(names = "--data", paramLabel = "DATA", description = "Real inputs to calibrate and check on: a dataset "
            + "name (wordnet-nouns, fortunes, fashion-mnist, ...) or a path. Text encoders default to wordnet-nouns.")
    String data;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "The tokenizer.json of a text encoder given as a file (built-in models bring theirs).")
    Path tokenizer;

    @Option(names = "--calibration", paramLabel = "N", defaultValue = "64",
            description = "Examples to calibrate on (default: ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--check", paramLabel = "N", defaultValue = "256",
            description = "Examples to check fidelity or accuracy on, after the calibration ones (default: ${DEFAULT-VALUE}).")
    int check;

    @Option(names = "--max-accuracy-drop", paramLabel = "POINTS",
            description = "Fail (exit 1, nothing written) if accuracy drops by more than this many points.")
    Double maxAccuracyDrop;

    @Option(names = "--min-fidelity", paramLabel = "COSINE",
            description = "Fail (exit 1, nothing written) if any example's cosine to the original is below this.")
    Double minFidelity;

    @Option(names = "--keep-float", paramLabel = "PATTERNS", description = "Comma-separated node-name globs the "
            + "int8 steps leave in float, e.g. '/encoder/layer.0/output/*'.")
    String keepFloat;

    @Option(names = "--calibrate", paramLabel = "METHOD", defaultValue = "minmax",
            description = "How int8-static sets activation ranges: minmax, percentile or entropy (default: ${DEFAULT-VALUE}).")
    String calibrationMethod;

    @Option(names = "--per-tensor", description = "One weight scale per tensor instead of per output channel.")
    boolean perTensor;

    @Option(names = "--symmetric", description = "int8-static: symmetric int8 activations instead of asymmetric uint8.")
    boolean symmetric;

    @Option(names = "--sensitivity", description = "Also report the error each layer adds when quantized alone.")
    boolean sensitivity;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "ONNX Runtime intra-op threads for every measurement (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--sequence-length", paramLabel = "N", defaultValue = "128",
            description = "Tokens per text example, padded (default: ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "10",
            description = "Timed runs of each model, taking turns (0 skips latency; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds what the retraining steps "
            + "draw at random: a zoo student's weights, shuffles, training subsets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-energy", description = "Skip the energy measurement.")
    boolean noEnergy;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Recipe parsed = Recipe.parse(recipe);
        QuantizationOptions options = new QuantizationOptions(!perTensor, symmetric,
                CalibrationMethod.parse(calibrationMethod), NodeSelector.parse(keepFloat));
        CompressionRequest request = new CompressionRequest(model, out, parsed, options, data, tokenizer, calibration,
                check, maxAccuracyDrop, minFidelity, threads, batch, sequenceLength, rounds, !noEnergy, sensitivity,
                seed, VersionProvider.version());
        CompressionReport report = Compressor.run(request);
        PrintWriter console = spec.commandLine().getOut();
        if (json) {
            console.println(Json.writeTagged(ReportJson.COMPRESS_KIND, report));
        } else {
            print(console, report);
        }
        console.flush();
        if (!report.passed()) {
            throw new CheckFailedException(report.checks().stream().filter(c -> !c.passed()).map(CompressCommand::failure)
                    .collect(Collectors.joining("; ")) + "; nothing written");
        }
        return ExitCode.OK;
    }

    private static String failure(Check check) {
        return switch (check.name()) {
            case "min-fidelity" -> String.format(Locale.ROOT, "min cosine %.5f is below --min-fidelity %s",
                    check.actual(), check.limit());
            case "max-accuracy-drop" -> String.format(Locale.ROOT,
                    "accuracy dropped %.2f points, more than --max-accuracy-drop %s", check.actual(), check.limit());
            default -> check.name() + " failed: " + check.actual() + " against " + check.limit();
        };
    }

    private static void print(PrintWriter console, CompressionReport r) {
        console.printf(Locale.ROOT, "Recipe     %s%n", r.recipe());
        for (CompressionReport.StepReport step : r.steps()) {
            console.printf(Locale.ROOT, "  %-12s %s%n", step.step(), step.facts());
        }
        console.printf(Locale.ROOT, "%n%-12s %14s %14s%n", "", "original", "compressed");
        console.printf(Locale.ROOT, "%-12s %14s %14s   %.2fx smaller%n", "size", Units.bytes(r.original().bytes()),
                Units.bytes(r.compressed().bytes()), r.sizeRatio());
        console.printf(Locale.ROOT, "%-12s %14s %14s%n", "params", Units.count(r.original().params()),
                Units.count(r.compressed().params()) + (r.compressed().quantizedParams() > 0
                        ? " +" + Units.count(r.compressed().quantizedParams()) + " int" : ""));
        console.printf(Locale.ROOT, "%-12s %14s %14s%s%n", "MACs", Units.count(r.original().macs()),
                Units.count(r.compressed().macs()), r.compressed().nodesWithUnknownCost() > 0
                        ? "   (" + r.compressed().nodesWithUnknownCost() + " fused/contrib nodes not counted)" : "");
        console.printf(Locale.ROOT, "%-12s %14d %14d%n", "nodes", r.original().nodes(), r.compressed().nodes());
        if (r.latency() != null) {
            console.printf(Locale.ROOT, "%-12s %11.1f ms %11.1f ms   %.2fx faster (batch %s, %d threads, median of %d, "
                    + "alternating)%n", "latency", r.latency().originalMillis(), r.latency().compressedMillis(),
                    r.latency().speedup(), r.latency().batchShape(), r.latency().threads(), r.latency().rounds());
        }
        if (r.energy() != null) {
            console.printf(Locale.ROOT, "%-12s %12.1f J %12.1f J   per 1,000 inferences (%s)%n", "energy",
                    r.energy().originalJoules(), r.energy().compressedJoules(), r.energy().method());
        }
        if (r.accuracy() != null) {
            console.printf(Locale.ROOT, "%-12s %14s %14s   %+.2f points over %d examples%n", "accuracy",
                    Units.percent(r.accuracy().original()), Units.percent(r.accuracy().compressed()),
                    -r.accuracy().dropPoints(), r.accuracy().examples());
        }
        Fidelity f = r.fidelity();
        if (f != null) {
            String realTokens = f.maxAbsDiffRealTokens() == f.maxAbsDiff() ? ""
                    : String.format(Locale.ROOT, " (%.3g at real tokens)", f.maxAbsDiffRealTokens());
            console.printf(Locale.ROOT, "%-12s min cosine %.5f, mean %.5f, max abs diff %.3g%s over %d examples%n",
                    "fidelity", f.minCosine(), f.meanCosine(), f.maxAbsDiff(), realTokens, f.examples());
        }
        if (!r.sensitivity().isEmpty()) {
            console.printf(Locale.ROOT, "%nSensitivity (each layer quantized alone; most sensitive first)%n");
            for (LayerSensitivity layer : r.sensitivity()) {
                console.printf(Locale.ROOT, "  %.5f min cosine  %.5f mean  %-10s %s%n", layer.minCosine(),
                        layer.meanCosine(), layer.opType(), layer.node());
            }
        }
        for (Check check : r.checks()) {
            console.printf(Locale.ROOT, "%nCheck      %s %s: %s%n", check.name(), check.limit(),
                    check.passed() ? "held" : "FAILED");
        }
        console.printf(Locale.ROOT, "%s%n", r.output() != null ? "Wrote      " + r.output() : "Nothing written");
    }
}
