package dev.verdant.cli.command;

import dev.verdant.bench.ProcessMemory;
import dev.verdant.cli.CheckFailedException;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.VersionProvider;
import dev.verdant.cli.option.DataOptions;
import dev.verdant.cli.option.InputOptions;
import dev.verdant.cli.option.ModelJobOptions;
import dev.verdant.cli.option.QualityOptions;
import dev.verdant.compress.QualitySpec;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.ModelRef;
import dev.verdant.optimize.CandidateMeasurer;
import dev.verdant.optimize.CandidateResult;
import dev.verdant.optimize.Objective;
import dev.verdant.optimize.OptimizeRequest;
import dev.verdant.optimize.Optimizer;
import dev.verdant.optimize.ProgressBarSearchListener;
import dev.verdant.optimize.SearchBudget;
import dev.verdant.optimize.SearchListener;
import dev.verdant.optimize.Tolerance;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.report.Result;
import dev.verdant.report.Search;
import dev.verdant.report.console.SearchText;
import dev.verdant.spark.SparkCandidates;
import dev.verdant.spark.SparkClassPath;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant optimize}: searches the recipe space on this machine and keeps the best model within tolerance. */
@Command(
        name = "optimize",
        header = "Search compression recipes on this machine and keep the best model within tolerance.",
        mixinStandardHelpOptions = true,
        description = "Search compression recipes for the model on this machine. Each candidate is built, checked against "
                + "the original on real inputs (accuracy, or cosine fidelity for encoders; a model given real inputs "
                + "without labels is held to each output's --tolerance or its kind's default) and timed, its energy "
                + "measured, at each thread count. Keeps the Pareto front of quality, energy and size; writes the "
                + "candidate that minimizes the objective within tolerance (the original when none beats it) and the "
                + "report. Interrupted? Run the same command again: finished candidates are kept in the --work folder.",
        footer = {"", "Example: verdant optimize lenet5.onnx --data fashion-mnist --max-accuracy-drop 1pt --budget 10m",
                "         verdant init lenet5.onnx --data fashion-mnist && verdant optimize --config verdant.yaml",
                "         verdant optimize --config verdant-optimize/report.json --work again   (repeat a run)"})
public final class OptimizeCommand implements Callable<Integer> {

    @Mixin
    ModelJobOptions job;

    @Mixin
    DataOptions data = new DataOptions(500);

    @Mixin
    InputOptions inputs;

    @Option(names = "--max-accuracy-drop", paramLabel = "DROP", description = "Largest accuracy drop allowed: 1%% "
            + "(relative to the original's accuracy; the default for classifiers) or 1pt (points).")
    String maxAccuracyDrop;

    @Option(names = "--min-fidelity", paramLabel = "COSINE", description = "Lowest cosine of any example's output "
            + "to the original's (default 0.99 for encoders).")
    Double minFidelity;

    @Mixin
    QualityOptions quality;

    @Option(names = "--objective", paramLabel = "WHAT", defaultValue = "energy",
            description = "What to minimize: energy, latency or size (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--budget", paramLabel = "TIME", defaultValue = "10m",
            description = "Search time of this run, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
    String budget;

    @Option(names = "--max-candidates", paramLabel = "N", description = "Also stop after building N candidates.")
    Integer maxCandidates;

    @Option(names = "--threads", paramLabel = "N", split = ",", defaultValue = "1,2",
            description = "Intra-op thread counts to measure each candidate at (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Examples per timed run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--measure-time", paramLabel = "TIME", defaultValue = "2s",
            description = "How long each candidate is timed at each thread count (default: ${DEFAULT-VALUE}).")
    String measureTime;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "verdant-optimize",
            description = "Work folder: candidates, the resumable state, report.html and report.json "
                    + "(default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--out", paramLabel = "FILE", description = "The chosen model (default: WORK/best.onnx).")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Build and measure the candidates on Spark "
            + "executors, the front kept here: local[N] (one at a time), spark://HOST:PORT, yarn, k8s://... Every "
            + "executor must be the target hardware: a latency measured elsewhere does not transfer.")
    String spark;

    @Override
    public Integer call() {
        if (spark != null) {
            SparkClassPath.require("--spark");
        }
        List<Tolerance> tolerances = new ArrayList<>();
        if (maxAccuracyDrop != null) {
            tolerances.add(Tolerance.AccuracyDrop.parse(maxAccuracyDrop));
        }
        if (minFidelity != null) {
            tolerances.add(new Tolerance.MinFidelity(minFidelity));
        }
        SearchBudget searchBudget = SearchBudget.of(DurationText.parse(budget));
        if (maxCandidates != null) {
            searchBudget = searchBudget.withMaxCandidates(maxCandidates);
        }
        QualitySpec qualitySpec = quality.open();
        Result result;
        try (MetricRegistry metrics = qualitySpec.metrics()) {
            ModelRef ref = job.model().resolve(data.tokenizer());
            OptimizeRequest request = new OptimizeRequest(ref, data.data(), tolerances, Objective.parse(objective),
                    searchBudget, threads, batch, data.sequenceLength(), data.padding(), data.calibration(),
                    data.check(), DurationText.parse(measureTime), work, out != null ? out : work.resolve("best.onnx"),
                    VersionProvider.version(), job.commandLine(),
                    job.effectiveConfig(), inputs.read(ref, data.calibration() + data.check(),
                        qualitySpec.states().stateInputs()), inputs.path(),
                    qualitySpec);
            result = run(request, spark == null ? null : SparkCandidates.on(spark), job.output().err(),
                    job.output().json());
        }
        job.output().print(result, console -> print(console, result));
        return checked(result);
    }

    /** Runs the search on this machine with a progress bar on a terminal, else a line per candidate on {@code err}. */
    static Result run(OptimizeRequest request, PrintWriter err, boolean quiet) {
        return run(request, null, err, quiet);
    }

    /** Runs the search, its candidates measured by {@code measurer} (null: on this machine). */
    private static Result run(OptimizeRequest request, CandidateMeasurer measurer, PrintWriter err, boolean quiet) {
        SearchListener listener = quiet ? SearchListener.none()
                : System.console() != null ? new ProgressBarSearchListener(System.err) : new SearchListener() {
                    @Override
                    public void candidateFinished(CandidateResult result, boolean meets,
                            int done, int planned) {
                        err.printf(Locale.ROOT, "[%d/%d] %s: %s (%.1f s)%n", done, planned, result.plan().id(),
                                !result.succeeded() ? "not applicable" : result.plan().isOriginal() ? "measured"
                                        : meets ? "within tolerance" : "outside tolerance", result.seconds());
                        err.flush();
                    }
                };
        return new Optimizer(measurer != null ? measurer : CandidateMeasurer.onThisMachine(Tracker.builder().build(),
                ProcessMemory.current(), System::nanoTime), listener, System::nanoTime).run(request);
    }

    /** Exit 0 when the chosen model meets its tolerance, else a one-line failure (exit 1). */
    static int checked(Result result) {
        Search search = result.search();
        if (!search.chosenPoint().meetsTolerance()) {
            throw new CheckFailedException("the chosen model " + search.chosen() + " does not meet "
                    + String.join("; ", search.tolerances()));
        }
        return ExitCode.OK;
    }

    static void print(PrintWriter console, Result result) {
        console.print(SearchText.format(result));
    }
}
