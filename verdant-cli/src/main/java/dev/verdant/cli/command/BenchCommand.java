package dev.verdant.cli.command;

import dev.verdant.bench.BenchConfig;
import dev.verdant.bench.BenchModel;
import dev.verdant.bench.BenchRunner;
import dev.verdant.runtime.Feed;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.InputOptions;
import dev.verdant.cli.option.ModelOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.SeedOptions;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.energy.Tracker;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.io.Json;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.HtmlReport;
import dev.verdant.report.ReportJson;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.report.ReportView;
import dev.verdant.report.Result;
import dev.verdant.report.console.BenchmarkText;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.SampleFeed;
import dev.verdant.runtime.SyntheticFeed;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant bench}: latency, throughput, memory and energy per inference of a model, or two side by side. */
@Command(
        name = "bench",
        header = "Measure latency, throughput, memory and energy per inference in ONNX Runtime.",
        mixinStandardHelpOptions = true,
        description = "Measure a model in ONNX Runtime for each thread count and batch size: latency p50/p90/p99 "
                + "and mean, throughput, peak memory, energy per inference and CO2e per million inferences. With "
                + "--baseline, two models run side by side in alternating blocks and the ratios are printed.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    OutputOptions console;

    @Mixin
    ModelOptions model;

    @Option(names = "--baseline", paramLabel = "OTHER", description = "A second model (file or built-in name) measured "
            + "in the same run; ratios are MODEL against OTHER.")
    String baseline;

    @Option(names = "--data", paramLabel = "D", description = "Real inputs: " + Datasets.ACCEPTED
            + ". Without it, synthetic inputs shaped from the model's inputs.")
    String data;

    @Mixin
    InputOptions inputs;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "The tokenizer.json for text data (built-in "
            + "models bring their own).")
    Path tokenizer;

    @Option(names = "--seq-len", paramLabel = "N", defaultValue = "128",
            description = "Tokens a sentence of a text model is truncated to (and padded to with --padding max), and the size of other dynamic axes for synthetic "
                    + "inputs (default ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(names = "--padding", paramLabel = "longest|max", defaultValue = "longest",
            description = "How batches of text are padded: longest (each batch to its longest text, as users' "
                    + "batches are) or max (every batch to --seq-len tokens); default ${DEFAULT-VALUE}.")
    String padding;

    @Option(names = "--threads", paramLabel = "N", split = ",", splitSynopsisLabel = ",", defaultValue = "1",
            description = "Intra-op thread counts, e.g. 1,2 (default ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--batch", paramLabel = "N", split = ",", splitSynopsisLabel = ",", defaultValue = "1",
            description = "Batch sizes, e.g. 1,16 (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "Unmeasured runs per model and configuration (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100",
            description = "Measured runs per model and configuration (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "Time box per configuration, e.g. 20s or 2m: no new block starts after it (each model "
                    + "still gets one block), and --iterations stays the cap.")
    String duration;

    @Option(names = "--block", paramLabel = "N", defaultValue = "10",
            description = "Runs per block when two models alternate (default ${DEFAULT-VALUE}).")
    int runsPerBlock;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "256",
            description = "Real samples to load from --data or --inputs (default ${DEFAULT-VALUE}).")
    int samples;

    @Mixin
    SeedOptions seed = new SeedOptions(42);

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the JSON result to FILE "
            + "(for verdant report).")
    Path output;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the HTML report (as verdant report "
            + "would) to FILE.")
    Path html;

    @Override
    public Integer call() {
        BatchPadding textPadding = BatchPadding.parse(padding);
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples);
        }
        BenchConfig config = BenchConfig.builder().optThreads(threads).optBatchSizes(batches).optWarmupRuns(warmup)
                .optMeasuredRuns(iterations).optTimeBox(duration == null ? null : DurationText.parse(duration))
                .optRunsPerBlock(runsPerBlock).optSeed(seed.seed()).build();
        ModelRef ref = model.resolve(tokenizer);
        List<BenchModel> models = new ArrayList<>();
        models.add(new BenchModel(ref.name(), ref.file(), BenchModel.Role.MODEL));
        if (baseline != null) {
            models.add(BenchModel.of(baseline, BenchModel.Role.BASELINE));
        }
        for (BenchModel m : models) {
            requireModelFile(m.file());
        }
        // every file the run reads and writes, checked before the benchmark: no output is a model or the data
        RunFiles files = RunFiles.none().reading(models.stream().map(BenchModel::file).toArray(Path[]::new))
                .reading(ref.tokenizer().orElse(null), Datasets.pathOf(data), inputs.path()).writing("-o", output)
                .writing("--html", html).check();
        if (data != null && inputs.given()) {
            throw new IllegalArgumentException("give --data (a dataset) or --inputs (files of model inputs), not both");
        }
        InputSamples given = inputs.read(ref, samples);
        Feed feed = given != null ? new SampleFeed(given)
                : data == null ? new SyntheticFeed(sequenceLength, seed.seed())
                : Feed.fromData(data, ref.tokenizer().orElse(null), sequenceLength, textPadding, samples, seed.seed());
        PrintWriter err = console.err();
        BenchRunner runner = new BenchRunner(Tracker.builder().build(), ProcessMemory.current(), line -> {
            err.println("verdant bench: " + line);
            err.flush();
        });
        Result result = runner.run(models, feed, config)
                .withCommand("verdant " + String.join(" ", console.originalArgs()));
        String text = ReportJson.write(result);
        if (output != null) {
            AtomicFiles.write(output, (text + "\n").getBytes(StandardCharsets.UTF_8), files.inputArray());
        }
        if (html != null) {
            // the same typed view verdant report makes of the saved results
            String page = HtmlReport.render(ReportView.of(result, "the bench result"));
            AtomicFiles.write(html, page.getBytes(StandardCharsets.UTF_8), files.inputArray());
        }
        PrintWriter out = console.out();
        out.print(console.json() ? text + System.lineSeparator() : BenchmarkText.format(result));
        return ExitCode.OK;
    }

    /** Fails with one line before any work when a model path is not a readable ONNX file. */
    private static void requireModelFile(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            OnnxModels.read(file);
        }
    }
}
