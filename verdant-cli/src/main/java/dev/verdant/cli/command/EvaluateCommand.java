package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.ModelOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.RuntimeOptions;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.Part;
import dev.verdant.energy.Measured;
import dev.verdant.energy.Tracker;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.spark.DistributedEvaluation;
import dev.verdant.spark.SparkClassPath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant evaluate}: a model's accuracy, or its fidelity to a baseline, over a whole data set. */
@Command(
        name = "evaluate",
        header = "Score a model (and its baseline) over a whole data set, on this machine or on Spark.",
        mixinStandardHelpOptions = true,
        description = "Accuracy for a classifier on labelled data; with --baseline, the baseline's accuracy and the "
                + "fidelity of the model's outputs to it (min and mean cosine, max abs diff); rows per second and "
                + "energy per 1,000 inferences. With --spark MASTER the data's blocks are scored on the cluster's "
                + "executors (Apache Spark on the class path; the ./verdant launcher adds SPARK_HOME/jars) and merged "
                + "on the driver: the figures equal this machine's, and the energy comes from Verdant's Spark "
                + "plugin.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Mixin
    ModelOptions model;

    @Option(names = "--baseline", paramLabel = "ORIGINAL", description = "The model to compare with (ONNX file).")
    Path baseline;

    @Option(names = "--data", paramLabel = "DATA", required = true,
            description = "Images or a table, by name or path (its test part when it has one).")
    String data;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run on Spark: local[N], spark://HOST:PORT, yarn, k8s://...")
    String spark;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Examples per ONNX Runtime run (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "1000",
            description = "Examples per block, the unit of work and of merging (default ${DEFAULT-VALUE}).")
    int blockSize;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions(1);

    @Option(names = "--energy-out", paramLabel = "DIR",
            description = "With --spark: where the plugin writes emissions.csv and spark-energy.json (default: the "
                    + "working folder).")
    Path energyOut;

    /**
     * What an evaluation found.
     *
     * @param model                  the model scored
     * @param baseline               the baseline, or null
     * @param data                   the data's name and part
     * @param where                  {@code this machine} or the Spark master
     * @param examples               examples scored
     * @param blocks                 blocks scored
     * @param accuracy               the model's accuracy, or null without labels
     * @param baselineAccuracy       the baseline's, or null
     * @param minCosine              lowest cosine to the baseline, or null
     * @param meanCosine             mean cosine to the baseline, or null
     * @param maxAbsDiff             largest absolute difference from the baseline, or null
     * @param rowsPerSecond          examples scored per second
     * @param energyJoules           energy of the scoring (PUE included)
     * @param energyPerThousandJoules energy per 1,000 inferences (an example through each model is one inference)
     * @param co2eKilograms          emissions of the scoring
     * @param energyMethod           {@code measured} or {@code estimated}, and how
     */
    public record Evaluation(String model, String baseline, String data, String where, long examples, int blocks,
            Double accuracy, Double baselineAccuracy, Double minCosine, Double meanCosine, Double maxAbsDiff,
            double rowsPerSecond, double energyJoules, double energyPerThousandJoules, double co2eKilograms,
            String energyMethod) {
    }

    @Override
    public Integer call() throws Exception {
        if (spark != null) {
            SparkClassPath.require("--spark");
        }
        if (batchSize < 1 || blockSize < 1 || runtime.threads() < 1) {
            throw new IllegalArgumentException("--batch-size, --block-size and --threads must be at least 1");
        }
        Path modelFile = model.file();
        Path energyFolder = energyOut != null ? energyOut : Path.of("");
        RunFiles.none().reading(modelFile, baseline, Datasets.pathOf(data))
                .writing("--energy-out", spark == null ? null : energyFolder.resolve("spark-energy.json")).check();
        if (baseline != null && !Files.isRegularFile(baseline)) {
            throw new IllegalArgumentException("--baseline " + baseline + ": no such model file");
        }
        ModelProto proto = OnnxModels.read(modelFile);
        ModelProto base = baseline == null ? null : OnnxModels.read(baseline);
        DataSource<?> source = Datasets.resolve(data);
        boolean test = source.parts().contains(Part.TEST);
        Object loaded = test ? source.load(Part.TEST) : source.loadAll();
        if (!(loaded instanceof FeatureDataset<?> features)) {
            throw new IllegalArgumentException("--data " + data + " is not images or a table; evaluate scores models "
                    + "with one float input");
        }
        List<EvaluationBlock> blocks = EvaluationBlock.of(features, blockSize);
        int models = base == null ? 1 : 2;
        Evaluation result;
        String dataName = source.name() + (test ? " (test part)" : "");
        if (spark == null) {
            Measured<Object[]> run = Tracker.measure("evaluate", () -> {
                long start = System.nanoTime();
                try (OrtRunner m = OrtRunner.open(proto, SessionSpec.threads(runtime.threads()));
                        OrtRunner b = base == null ? null : OrtRunner.open(base, SessionSpec.threads(runtime.threads()))) {
                    EvaluationSums sums = BlockScorer.scoreAll(m, b, blocks, batchSize);
                    return new Object[] {sums, (System.nanoTime() - start) / 1e9};
                }
            });
            EvaluationSums sums = (EvaluationSums) run.value()[0];
            double seconds = (double) run.value()[1];
            double joules = run.report().totalEnergy().joules();
            result = evaluation(dataName, "this machine", sums, blocks.size(), sums.examples() / seconds, joules,
                    run.report().emissions().kilograms(), run.report().method().label()
                            + " (this process, model loading included)", models);
        } else {
            Files.createDirectories(energyFolder.toAbsolutePath());
            DistributedEvaluation.Run run = DistributedEvaluation.run(spark, blocks, proto.toByteArray(),
                    base == null ? null : base.toByteArray(), batchSize, runtime.threads(), energyFolder);
            result = evaluation(dataName, spark, run.sums(), run.blocks(), run.rowsPerSecond(), run.energyJoules(),
                    run.co2eKilograms(), run.energyMethod() + " (Verdant's Spark plugin: the scoring job's share of "
                            + "executor energy; " + run.energyFile() + ")", models);
        }
        output.print(result, out -> print(out, result));
        return ExitCode.OK;
    }

    private Evaluation evaluation(String dataName, String where, EvaluationSums sums, int blockCount,
            double rowsPerSecond, double joules, double co2e, String method, int models) {
        boolean compared = sums.compared() > 0;
        return new Evaluation(model.name(), baseline == null ? null : baseline.toString(), dataName, where,
                sums.examples(), blockCount, sums.labelled() > 0 ? sums.accuracy() : null,
                sums.labelled() > 0 && compared ? sums.baselineAccuracy() : null, compared ? sums.minCosine() : null,
                compared ? sums.meanCosine() : null, compared ? sums.maxAbsDiff() : null, rowsPerSecond, joules,
                joules / (sums.examples() * models) * 1000, co2e, method);
    }

    private static void print(PrintWriter out, Evaluation e) {
        out.printf(Locale.ROOT, "Model      %s%s%n", e.model(), e.baseline() == null ? "" : " (baseline " + e.baseline()
                + ")");
        out.printf(Locale.ROOT, "Data       %s: %,d examples in %d blocks, on %s%n", e.data(), e.examples(), e.blocks(),
                e.where());
        if (e.accuracy() != null) {
            out.printf(Locale.ROOT, "Accuracy   %.4f%s%n", e.accuracy(), e.baselineAccuracy() == null ? ""
                    : String.format(Locale.ROOT, " (baseline %.4f)", e.baselineAccuracy()));
        }
        if (e.minCosine() != null) {
            out.printf(Locale.ROOT, "Fidelity   min cosine %.6f, mean cosine %.6f, max abs diff %.3g%n", e.minCosine(),
                    e.meanCosine(), e.maxAbsDiff());
        }
        out.printf(Locale.ROOT, "Speed      %,.0f rows/s%n", e.rowsPerSecond());
        out.printf(Locale.ROOT, "Energy     %.3g J per 1,000 inferences, %.3g J in all, %.3g gCO2e; %s%n",
                e.energyPerThousandJoules(), e.energyJoules(), e.co2eKilograms() * 1000, e.energyMethod());
    }
}
