import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.io.Json;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.QualitySpec;
import dev.verdant.data.BatchPadding;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.optimize.Objective;
import dev.verdant.optimize.OptimizeRequest;
import dev.verdant.optimize.Optimizer;
import dev.verdant.optimize.SearchBudget;
import dev.verdant.optimize.SearchListener;
import dev.verdant.optimize.Tolerance;
import dev.verdant.report.Search;
import dev.verdant.spark.CpuBoundJob;
import dev.verdant.spark.SparkCandidates;
import dev.verdant.spark.DistributedEvaluation;
import dev.verdant.spark.EvaluationModels;
import dev.verdant.spark.LocalStandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Two measurements, each side by side in one run (ABBA):
 * 1. distributed evaluation throughput of the 10,000 Fashion-MNIST test images through a 784-2048-2048-10 MLP on a
 *    real standalone cluster on 127.0.0.1, 1 executor (1 core) vs 2 executors (1 core each), against one machine;
 * 2. the plugin's overhead (after one warm-up run): a CPU-bound RDD job on local[2] with and without the plugin (task CPU time and wall
 *    time), and the plugin's own threads' CPU time as a share of the executor's task CPU time.
 */
public class SparkBench {

    public static void main(String[] args) throws Exception {
        System.out.println("load average at start: " + System.getenv("LOADAVG") + ", cores: "
                + Runtime.getRuntime().availableProcessors());
        Path work = Files.createTempDirectory("spark-bench");
        String part = args.length == 0 ? "all" : args[0];
        if (part.equals("optimize")) {
            optimizeOnCluster(work);
            return;
        }
        if (!part.equals("overhead")) {
            evaluation(work);
        }
        if (!part.equals("evaluation")) {
            overhead(work);
        }
    }

    static void evaluation(Path work) throws Exception {
        ImageDataset test = Datasets.resolveImages(Datasets.FASHION_MNIST).load(Part.TEST);
        ModelProto model = EvaluationModels.mlp(2048, 7);
        List<EvaluationBlock> blocks = EvaluationBlock.of(test, 500);
        long start = System.nanoTime();
        EvaluationSums single;
        try (OrtRunner runner = OrtRunner.open(model, SessionSpec.threads(1))) {
            single = BlockScorer.scoreAll(runner, null, blocks, 64);
        }
        double singleSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "one machine, 1 thread: %.0f rows/s (%d images, session opening included)%n",
                single.examples() / singleSeconds, single.examples());
        try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(work.resolve("cluster"), 2, "2g")) {
            int[] order = {1, 2, 2, 1};
            double[][] rows = new double[3][2];
            int run = 0;
            for (int executors : order) {
                SparkConf conf = cluster.conf("bench").set("spark.executor.cores", "1")
                        .set("spark.cores.max", Integer.toString(executors)).set("spark.executor.memory", "768m")
                        .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                        .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
                DistributedEvaluation.Run result = DistributedEvaluation.runWith(conf, blocks, model.toByteArray(),
                        null, 64, 1, Files.createDirectories(work.resolve("eval-" + run++)));
                if (!result.sums().equals(single)) {
                    throw new IllegalStateException("the distributed sums differ from one machine's");
                }
                double perThousand = result.energyJoules() / result.sums().examples() * 1000;
                System.out.printf(Locale.ROOT, "%d executor(s): %.0f rows/s, %.3g J per 1,000 inferences (%s), "
                        + "same sums as one machine%n", executors, result.rowsPerSecond(), perThousand,
                        result.energyMethod());
                rows[executors][0] += result.rowsPerSecond() / 2;
                rows[executors][1] += perThousand / 2;
            }
            System.out.printf(Locale.ROOT, "mean: 1 executor %.0f rows/s, %.3g J/1k; 2 executors %.0f rows/s, %.3g J/1k; "
                    + "speed-up %.2fx%n", rows[1][0], rows[1][1], rows[2][0], rows[2][1], rows[2][0] / rows[1][0]);
        }
    }

    /**
     * The fan-out of {@code optimize --spark} on a real standalone cluster of two 1-core executors: a capped search of
     * a small MLP on the bundled Fashion-MNIST sample, its candidates two at a time, against the same search on this
     * machine (candidates, accuracies and sizes compared; wall time of each).
     */
    static void optimizeOnCluster(Path work) throws Exception {
        Path model = work.resolve("mlp.onnx");
        OnnxModels.write(EvaluationModels.mlp(256, 7), model);
        java.util.function.Function<Path, OptimizeRequest> request = folder -> new OptimizeRequest(
                ModelRef.ofFile(model), Datasets.FASHION_MNIST_SAMPLE, List.of(new Tolerance.AccuracyDrop(2, false)),
                Objective.ENERGY, SearchBudget.of(java.time.Duration.ofHours(1)).withMaxCandidates(3), List.of(1), 1,
                16, BatchPadding.LONGEST, 100, 300, java.time.Duration.ofSeconds(1), folder, folder.resolve("best.onnx"),
                "bench", null, java.util.Map.of(), null, null, QualitySpec.none());
        long start = System.nanoTime();
        Search single = new Optimizer(Tracker.builder().build(), ProcessMemory.current(), SearchListener.none(),
                System::nanoTime).run(request.apply(work.resolve("single"))).search();
        double singleSeconds = (System.nanoTime() - start) / 1e9;
        try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(work.resolve("cluster"), 2, "2g")) {
            SparkConf conf = cluster.conf("optimize").set("spark.executor.cores", "1").set("spark.cores.max", "2")
                    .set("spark.executor.memory", "768m")
                    .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
            start = System.nanoTime();
            Search spark = new Optimizer(SparkCandidates.with(conf), SearchListener.none(), System::nanoTime)
                    .run(request.apply(work.resolve("cluster-search"))).search();
            double sparkSeconds = (System.nanoTime() - start) / 1e9;
            for (Search s : List.of(single, spark)) {
                for (Search.Candidate c : s.candidates()) {
                    System.out.printf(Locale.ROOT, "  %-40s accuracy %s, %d bytes, %.1f s%n", c.id(),
                            c.quality() == null ? "-" : c.quality().accuracy(), c.facts() == null ? 0
                                    : c.facts().bytes(), c.seconds());
                }
            }
            boolean same = single.candidates().stream().map(c -> List.of(c.id(), String.valueOf(c.quality()),
                    String.valueOf(c.facts()))).toList().equals(spark.candidates().stream().map(c -> List.of(c.id(),
                    String.valueOf(c.quality()), String.valueOf(c.facts()))).toList());
            System.out.printf(Locale.ROOT, "one machine %.1f s, standalone cluster of 2 executors %.1f s; same "
                    + "candidates, accuracies and sizes: %s; executors: %s%n", singleSeconds, sparkSeconds, same,
                    spark.executors().describe());
        }
    }

    static void overhead(Path work) throws Exception {
        boolean[] order = {true, false, true, true, false};   // the first run warms the JVM up and is not counted
        double[][] sums = new double[2][2];
        double share = 0;
        int run = 0;
        for (boolean plugin : order) {
            Path out = Files.createDirectories(work.resolve("overhead-" + run++));
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("overhead")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            if (plugin) {
                conf.set("spark.plugins", "dev.verdant.spark.VerdantPlugin").set("spark.verdant.out", out.toString());
            }
            AtomicLong taskCpu = new AtomicLong();
            JavaSparkContext sc = new JavaSparkContext(conf);
            long start;
            double seconds;
            try {
                sc.sc().addSparkListener(new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        taskCpu.addAndGet(end.taskMetrics().executorCpuTime());
                    }
                });
                start = System.nanoTime();
                long sum = CpuBoundJob.run(sc, 8, 2_000_000);
                seconds = (System.nanoTime() - start) / 1e9;
                if (sum == 42) {
                    System.out.println();
                }
            } finally {
                sc.stop();
            }
            Thread.sleep(500);   // the listener bus delivers the last task ends after the job returns
            double cpu = taskCpu.get() / 1e9;
            if (run == 1) {
                System.out.printf(Locale.ROOT, "warm-up run: %.2f s wall, %.2f s task CPU (not counted)%n", seconds, cpu);
                continue;
            }
            sums[plugin ? 1 : 0][0] += seconds / 2;
            sums[plugin ? 1 : 0][1] += cpu / 2;
            String own = "";
            if (plugin) {
                JsonNode executor = Json.mapper().readTree(out.resolve("spark-energy.json").toFile()).path("executors")
                        .get(0);
                double verdant = executor.path("verdant_cpu_s").asDouble();
                double tasks = executor.path("tasks_executor_cpu_s").asDouble();
                share += verdant / tasks / 2;
                own = String.format(Locale.ROOT, "; the plugin's threads: %.3f s CPU = %.3f%% of the tasks' %.1f s",
                        verdant, 100 * verdant / tasks, tasks);
            }
            System.out.printf(Locale.ROOT, "local[2] %s plugin: %.2f s wall, %.2f s task CPU%s%n",
                    plugin ? "with" : "without", seconds, cpu, own);
        }
        System.out.printf(Locale.ROOT, "mean: without %.2f s wall / %.2f s task CPU; with %.2f s / %.2f s; "
                + "wall ratio %.3f, task CPU ratio %.3f; plugin threads %.3f%% of task CPU%n", sums[0][0], sums[0][1],
                sums[1][0], sums[1][1], sums[1][0] / sums[0][0], sums[1][1] / sums[0][1], 100 * share);
    }
}
