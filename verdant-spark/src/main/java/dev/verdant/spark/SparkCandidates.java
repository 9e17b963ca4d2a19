package dev.verdant.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.energy.Tracker;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.Json;
import dev.verdant.optimize.CandidateBuilder;
import dev.verdant.optimize.CandidateMeasurer;
import dev.verdant.optimize.CandidatePlan;
import dev.verdant.optimize.CandidateResult;
import dev.verdant.optimize.PortableSearch;
import dev.verdant.optimize.SearchContext;
import dev.verdant.report.Search;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code verdant optimize --spark MASTER}: the search's candidates built, checked and measured on a Spark cluster's
 * executors, one candidate per task, while the driver keeps the state, the Pareto front and the choice
 * ({@link dev.verdant.optimize.Optimizer}). The model's bytes and the search's settings travel once per executor
 * ({@link PortableSearch}, broadcast); each task gets its plan and sends back the {@link CandidateResult}, the
 * machine it was measured on and the candidate's model, which the driver writes into the work folder.
 *
 * <p>Timings mean something only on the hardware the model will run on: every executor must be that hardware. On a
 * {@code local} master the candidates run one at a time, so that no two are timed side by side on the same cores;
 * on a cluster, as many run at once as there are executors, each executor one at a time when every task takes all of
 * its cores ({@code spark.task.cpus} is set to {@code spark.executor.cores} when only the latter is given).
 *
 * <p>{@link #on} names no Spark type, so the CLI can hold it without Spark on its class path; it calls it only after
 * {@link SparkClassPath#require}.
 */
public final class SparkCandidates implements CandidateMeasurer {

    /** What the report says of timings taken on executors. */
    public static final String CAVEAT = "every executor must be the target hardware: a latency or energy measured "
            + "on another machine does not transfer";

    private final String master;
    private final SparkConf given;

    private SparkCandidates(String master, SparkConf given) {
        this.master = master;
        this.given = given;
    }

    /**
     * Candidates measured on the executors of {@code master} ({@code local[N]}, {@code spark://HOST:PORT},
     * {@code yarn}, {@code k8s://...}); Spark starts when the search does.
     */
    public static CandidateMeasurer on(String master) {
        return new SparkCandidates(master, null);
    }

    /**
     * Candidates measured on the executors of the application {@code conf} describes (its master and whatever the
     * cluster needs, such as the executors' class path); Spark starts when the search does.
     */
    public static CandidateMeasurer with(SparkConf conf) {
        return new SparkCandidates(conf.get("spark.master"), conf.clone());
    }

    @Override
    public Session open(SearchContext context) {
        PortableSearch search = PortableSearch.of(context, "--spark");
        SparkConf conf;
        if (given == null) {
            conf = SparkMaster.conf(master);
        } else {
            SparkMaster.checkReachable(master);
            conf = given.clone();
        }
        conf.setAppName("verdant-optimize");
        if (conf.contains("spark.executor.cores") && !conf.contains("spark.task.cpus")) {
            conf.set("spark.task.cpus", conf.get("spark.executor.cores"));
        }
        return new SparkSession(context, search, SparkMaster.start(conf));
    }

    /** One search's Spark application. */
    private final class SparkSession implements Session {

        private final SearchContext context;
        private final JavaSparkContext sc;
        private final Broadcast<PortableSearch> search;
        private final Set<String> hosts = new LinkedHashSet<>();

        SparkSession(SearchContext context, PortableSearch search, JavaSparkContext sc) {
            this.context = context;
            this.sc = sc;
            this.search = sc.broadcast(search);
        }

        @Override
        public int parallelism() {
            // a local master's one executor is this JVM: one candidate at a time keeps the timings honest
            return SparkMaster.isLocal(master) ? 1 : Math.max(1, sc.sc().getExecutorIds().size());
        }

        @Override
        public List<CandidateBuilder.Built> measure(List<CandidatePlan> plans, long nanosLeft) {
            List<String> tasks = plans.stream().map(Json::write).toList();
            CandidateTask task = new CandidateTask(search, nanosLeft);
            List<Measured> measured = sc.parallelize(tasks, tasks.size()).map(task::run).collect();
            List<CandidateBuilder.Built> built = new ArrayList<>();
            for (Measured m : measured) {
                hosts.add(m.host());
                built.add(keep(read(m.built(), CandidateBuilder.Built.class), m.model()));
            }
            return built;
        }

        /** The result with its model where the driver keeps it: the candidate folder, the input for the original. */
        private CandidateBuilder.Built keep(CandidateBuilder.Built built, byte[] model) {
            CandidateResult result = built.result();
            if (result.plan().isOriginal()) {
                result = result.withModelFile(context.request().model().file().toString());
            } else if (model != null) {
                Path file = context.candidateFolder().resolve(CandidateBuilder.fileName(result.plan()));
                AtomicFiles.write(file, model);
                result = result.withModelFile(file.toString());
            }
            return new CandidateBuilder.Built(result, built.machine(), built.energy());
        }

        @Override
        public Search.Executors executors() {
            return new Search.Executors(master, List.copyOf(hosts), CAVEAT);
        }

        @Override
        public void close() {
            sc.stop();
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a " + type.getSimpleName() + " sent back: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * What comes back from a task: the built candidate as JSON (the state file's form), its model's bytes (null for
     * the original, or a candidate that could not be built) and the executor's host.
     */
    record Measured(String built, byte[] model, String host) implements Serializable {
    }

    /** The work of one task, sent to executors: the broadcast search and the budget left. */
    record CandidateTask(Broadcast<PortableSearch> search, long nanosLeft) implements Serializable {

        Measured run(String planJson) throws IOException {
            CandidatePlan plan = read(planJson, CandidatePlan.class);
            Path folder = Files.createTempDirectory("verdant-candidate");
            try {
                SearchContext context = search.value().open(folder);
                CandidateBuilder.Built built = new CandidateBuilder(Tracker.builder().build(), ProcessMemory.current(),
                        System::nanoTime, context).build(plan, nanosLeft);
                CandidateResult result = built.result();
                byte[] model = result.succeeded() && !plan.isOriginal()
                        ? Files.readAllBytes(Path.of(result.modelFile())) : null;
                return new Measured(Json.write(built), model, host());
            } finally {
                deleteTree(folder);
            }
        }

        private static String host() {
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            try {
                return InetAddress.getLocalHost().getHostName() + " (executor " + executor + ")";
            } catch (IOException e) {
                return "an unnamed host (executor " + executor + ")";
            }
        }

        private static void deleteTree(Path folder) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the candidate folder " + folder + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
