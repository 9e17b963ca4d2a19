package dev.verdant.cli.command;

import dev.verdant.compress.QualitySpec;
import dev.verdant.cli.VersionProvider;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.optimize.Objective;
import dev.verdant.onnx.ModelRef;
import dev.verdant.optimize.OptimizeRequest;
import dev.verdant.optimize.SearchBudget;
import dev.verdant.optimize.Tolerance;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.report.Result;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verdant demo}: the whole job on the bundled model and real sentences, in a few minutes, no arguments. */
@Command(
        name = "demo",
        header = "The main job on a built-in default: optimize the bundled MiniLM and write the report.",
        mixinStandardHelpOptions = true,
        description = "Optimize the bundled all-MiniLM-L6-v2 sentence encoder for energy on this machine, checked on real "
                + "sentences (WordNet noun glosses): measure the original, search recipes within a small budget, print "
                + "the before/after table (size, latency, energy with its method, fidelity) and write the HTML report. "
                + "Exits 0 only if the chosen model keeps min cosine fidelity 0.99 to the original.",
        footer = {"", "Example: verdant demo --out /tmp/verdant-demo"})
public final class DemoCommand implements Callable<Integer> {

    /** The demo's model: the bundled real sentence encoder. */
    static final String MODEL = "minilm";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "verdant-demo",
            description = "Folder for report.html, report.json, the chosen model and the resumable state "
                    + "(default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--budget", paramLabel = "TIME", defaultValue = "180s",
            description = "Search time after the original is measured (default: ${DEFAULT-VALUE}).")
    String budget;

    /** Sentences per timed batch. */
    static final int DEMO_BATCH = 16;

    @Override
    public Integer call() {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = cpus > 1 ? List.of(1, 2) : List.of(1);
        // batches of 16 sentences padded to their longest, as an embedding service sends them (so padding removal
        // has what it has in use); sentences cut at 64 tokens and a modest check set keep the demo to minutes on 2
        // cores; the fidelity bar is the one verdant optimize applies to encoders by default
        OptimizeRequest request = new OptimizeRequest(ModelRef.resolve(MODEL, null), Datasets.WORDNET_NOUNS,
                List.of(new Tolerance.MinFidelity(0.99)), Objective.ENERGY, SearchBudget.of(DurationText.parse(budget)),
                threads, DEMO_BATCH, 64, BatchPadding.LONGEST, 32, 128, Duration.ofMillis(1500), out,
                out.resolve("minilm-optimized.onnx"), VersionProvider.version(), "verdant "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()), Map.of(), null, null,
                QualitySpec.none());
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "verdant demo: optimizing %s (all-MiniLM-L6-v2) for energy per inference on "
                + "this machine, min cosine fidelity 0.99 on WordNet noun glosses%n%n", MODEL);
        console.flush();
        Result result = OptimizeCommand.run(request, spec.commandLine().getErr(), false);
        OptimizeCommand.print(console, result);
        console.flush();
        return OptimizeCommand.checked(result);
    }
}
