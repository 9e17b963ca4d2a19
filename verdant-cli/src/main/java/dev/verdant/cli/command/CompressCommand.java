package dev.verdant.cli.command;

import dev.verdant.cli.CheckFailedException;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.VersionProvider;
import dev.verdant.cli.option.DataOptions;
import dev.verdant.cli.option.InputOptions;
import dev.verdant.cli.option.ModelJobOptions;
import dev.verdant.cli.option.QualityOptions;
import dev.verdant.compress.QualitySpec;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.cli.option.RuntimeOptions;
import dev.verdant.cli.option.SeedOptions;
import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.quantize.CalibrationMethod;
import dev.verdant.compress.quantize.NodeSelector;
import dev.verdant.onnx.ModelRef;
import dev.verdant.compress.retrain.RetrainingProgress;
import dev.verdant.report.Compression;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Result;
import dev.verdant.report.console.CompressionText;
import dev.verdant.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant compress}: applies a recipe and proves the result still works, in one report. */
@Command(
        name = "compress",
        header = "Shrink a model with a recipe and check it against the original.",
        mixinStandardHelpOptions = true,
        description = "Compress a model with a recipe and check the result against the original in ONNX Runtime on real "
                + "inputs: size, params, MACs, latency side by side, fidelity (cosine, max abs diff) or accuracy, and "
                + "energy per 1,000 inferences. Steps (comma-separated, applied in order): fuse, int8-dynamic, "
                + "int8-static, prune:SPARSITY (0.9, 0.9/layer, 2:4), share:BITS (5bit). Every output is compared with "
                + "the original's (one row each: cosine, max abs/rel error, argmax agreement, top-k overlap or IoU by "
                + "its kind) and held to its --tolerance. For a transformer encoder "
                + "int8-dynamic fuses first. Opt-in for a fused encoder: unpad (e.g. int8-dynamic,unpad) runs per-token "
                + "work on real tokens only; outputs at padded (mask 0) positions become 0. A broken tolerance exits 1 "
                + "and writes nothing.",
        footer = {"", "Example: verdant compress minilm --recipe int8-dynamic --out minilm-int8.onnx --min-fidelity 0.99"})
public final class CompressCommand implements Callable<Integer> {

    @Mixin
    ModelJobOptions job;

    @Option(names = "--recipe", required = true, paramLabel = "STEPS",
            description = "Comma-separated steps, e.g. fuse,int8-dynamic or prune:0.9,share:5bit. Steps: fuse, "
                    + "int8-dynamic, int8-static, unpad (padded positions return 0), prune:S (or :S/layer, :N:M), "
                    + "share:Bbit; with retraining (need --data): "
                    + "prune:S,gradual, prune-structured:F, int8-qat, deep-compression[,sparsity=auto|S,overall=0.91,"
                    + "bits=auto|N|default,tolerance=P,validation=N,alpha=0.9,t=4] (by default each layer's sparsity "
                    + "and bits are chosen on training examples kept out of training and printed, and the retraining "
                    + "distils from the original model; alpha=0 for the labels alone), "
                    + "distill:student=mlp|lenet5|lenet5-caffe|mobilenet|FILE"
                    + "[,T=4,alpha=0.9,cache=true,transfer=rest|DATA] "
                    + "(transfer=: unlabelled images scored by the teacher only; rest = the training images beyond "
                    + "examples=N); retraining steps take "
                    + "epochs=, lr=, batch=, examples= and, on images, augment=shift2+flip (random shifts and "
                    + "mirrors; a distill teacher then sees the same images). On a BERT-style encoder prune-structured:F or "
                    + "prune-structured:ffn=F,heads=F removes FFN channels and attention heads with least-squares "
                    + "reconstruction on the text of --data, and epochs=N fine-tunes it toward the original's embeddings.")
    String recipe;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The compressed model: .onnx, or .vdz for the packed container. Never the input.")
    Path out;

    @Mixin
    DataOptions data = new DataOptions(null);

    @Mixin
    InputOptions inputs;

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

    @Mixin
    QualityOptions quality;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions(2);

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "10",
            description = "Timed runs of each model, taking turns (0 skips latency; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    SeedOptions seed = new SeedOptions(1);

    @Option(names = "--no-energy", description = "Skip the energy measurement.")
    boolean noEnergy;

    @Override
    public Integer call() {
        Recipe parsed = Recipe.parse(recipe);
        QuantizationOptions options = new QuantizationOptions(!perTensor, symmetric,
                CalibrationMethod.parse(calibrationMethod), NodeSelector.parse(keepFloat));
        QualitySpec qualitySpec = quality.open();
        try (MetricRegistry metrics = qualitySpec.metrics()) {
            return compress(parsed, options, qualitySpec);
        }
    }

    private Integer compress(Recipe parsed, QuantizationOptions options, QualitySpec qualitySpec) {
        ModelRef ref = job.model().resolve(data.tokenizer());
        if (data.check() != null && data.check() < 1) {
            throw new IllegalArgumentException("--check needs at least 1 example, got " + data.check());
        }
        CompressionRequest request = CompressionRequest.builder(ref, out, parsed)
                .optQuality(qualitySpec)
                .optOptions(options).optData(data.data())
                .optInputs(inputs.read(ref, data.calibration() + Objects.requireNonNullElse(data.check(),
                        CompressionRequest.FEW_CHECK), qualitySpec.states().stateInputs()), inputs.path())
                .optExamples(data.calibration(), Objects.requireNonNullElse(data.check(),
                        CompressionRequest.DEFAULT_CHECK))
                .optTolerances(maxAccuracyDrop, minFidelity).optThreads(runtime.threads()).optBatchSize(batch)
                .optSequenceLength(data.sequenceLength()).optPadding(data.padding()).optLatencyRounds(rounds).optMeasureEnergy(!noEnergy)
                .optSensitivity(sensitivity).optSeed(seed.seed()).optVersion(VersionProvider.version()).build();
        // a line per epoch of every retraining run on stderr, as verdant train prints them (--json keeps stderr quiet)
        PrintWriter err = job.output().err();
        Result result = Compressor.run(request, job.output().json() ? RetrainingProgress.NONE
                : training -> TrainingListener.epochLog(err, training + ": "))
                .withCommand(job.commandLine()).withConfig(job.effectiveConfig());
        Compression report = result.compression();
        job.output().print(result, console -> CompressionText.print(console, report));
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
            case String name when name.startsWith("tolerance ") -> String.format(Locale.ROOT,
                    "output tolerance %s broken: measured %.5g", name.substring("tolerance ".length()),
                    check.actual());
            default -> check.name() + " failed: " + check.actual() + " against " + check.limit();
        };
    }
}
