package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.energy.sink.CsvSink;
import dev.verdant.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin on {@code local[2]}: a plain Spark job that knows nothing of Verdant, turned on by configuration. */
class VerdantPluginLocalTest {

    @TempDir
    Path dir;

    static SparkConf conf(Path out, String app) {
        return new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.plugins", VerdantPlugin.class.getName())
                .set("spark.verdant.out", out.toString())
                .set("spark.verdant.country", "FRA")
                .set("spark.verdant.intervalMs", "100")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "4");
    }

    @Test
    void aPlainJobWritesCodeCarbonRowAndEnergyPerExecutorStageAndJobAndSparkMetrics() throws IOException {
        Path metrics = dir.resolve("metrics");
        Files.createDirectories(metrics);
        SparkConf conf = conf(dir, "plain-job")
                .set("spark.metrics.conf.*.sink.csv.class", "org.apache.spark.metrics.sink.CsvSink")
                .set("spark.metrics.conf.*.sink.csv.period", "1")
                .set("spark.metrics.conf.*.sink.csv.unit", "seconds")
                .set("spark.metrics.conf.*.sink.csv.directory", metrics.toString());
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            // the job's own code: a shuffle (two stages) and a second action (another job)
            List<Long> numbers = java.util.stream.LongStream.range(0, 400_000).boxed().toList();
            long groups = sc.parallelize(numbers, 4).mapToPair(x -> new scala.Tuple2<>(x % 97, x * x))
                    .reduceByKey(Long::sum).count();
            assertThat(groups).isEqualTo(97);
            assertThat(sc.parallelize(numbers, 4).map(x -> Math.sqrt(x)).reduce(Double::sum)).isPositive();
        } finally {
            sc.stop();
        }

        List<String> csv = Files.readAllLines(dir.resolve(CsvSink.FILE_NAME));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).isEqualTo(String.join(",", CsvSink.CODECARBON_COLUMNS));
        List<String> row = List.of(csv.get(1).split(",", -1));
        assertThat(row.get(CsvSink.CODECARBON_COLUMNS.indexOf("project_name"))).isEqualTo("plain-job");
        assertThat(Double.parseDouble(row.get(CsvSink.CODECARBON_COLUMNS.indexOf("energy_consumed")))).isPositive();
        assertThat(Double.parseDouble(row.get(CsvSink.CODECARBON_COLUMNS.indexOf("emissions")))).isPositive();
        assertThat(row.get(CsvSink.CODECARBON_COLUMNS.indexOf("country_iso_code"))).isEqualTo("FRA");

        JsonNode json = Json.mapper().readTree(dir.resolve(VerdantDriverPlugin.JSON_FILE).toFile());
        assertThat(json.path("complete").asBoolean()).isTrue();
        JsonNode driver = json.path("driver");
        assertThat(driver.path("status").asText()).isEqualTo("measured");
        assertThat(driver.path("energy_j").asDouble()).isPositive();
        assertThat(driver.path("method").asText()).isIn("estimated", "measured");
        JsonNode executors = json.path("executors");
        assertThat(executors).hasSize(1);   // local mode: one executor, in the driver's JVM
        JsonNode executor = executors.get(0);
        assertThat(executor.path("id").asText()).isEqualTo("driver");
        assertThat(executor.path("status").asText()).isEqualTo("measured");
        assertThat(executor.path("energy_j").asDouble()).isPositive();
        assertThat(executor.path("final_report").asBoolean()).isTrue();
        assertThat(executor.path("in_driver_process").asBoolean()).isTrue();
        assertThat(executor.path("counted_in_total").asBoolean()).isFalse();   // the same JVM as the driver
        assertThat(executor.path("tasks").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(executor.path("tasks_executor_cpu_s").asDouble()).isPositive();
        assertThat(executor.path("verdant_cpu_s").asDouble()).isNotNegative();
        // the total counts the one JVM once
        assertThat(json.path("application").path("it_energy_j").asDouble())
                .isEqualTo(driver.path("it_energy_j").asDouble());

        // stages split the executor's energy whole (it ran tasks, so nothing stays unattributed)
        double stageSum = 0;
        for (JsonNode stage : json.path("stages")) {
            assertThat(stage.path("executor_cpu_s").asDouble()).isNotNegative();
            assertThat(stage.path("job_id").isInt()).isTrue();
            stageSum += stage.path("it_energy_j").asDouble();
        }
        assertThat(json.path("stages").size()).isGreaterThanOrEqualTo(3);
        assertThat(stageSum).isCloseTo(executor.path("it_energy_j").asDouble()
                - executor.path("unattributed_it_energy_j").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(executor.path("unattributed_it_energy_j").asDouble()).isZero();
        double jobSum = 0;
        for (JsonNode job : json.path("jobs")) {
            assertThat(job.path("status").asText()).isEqualTo("succeeded");
            jobSum += job.path("it_energy_j").asDouble();
        }
        assertThat(json.path("jobs").size()).isGreaterThanOrEqualTo(2);
        assertThat(jobSum).isCloseTo(stageSum, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(json.path("stage_method").asText()).contains("executorCpuTime");
        assertThat(json.path("executor_method").asText()).contains("plugin RPC");

        // Spark's own CSV metrics sink carries the plugin's gauges
        try (Stream<Path> files = Files.list(metrics)) {
            List<Path> energy = files.filter(f -> f.getFileName().toString()
                    .endsWith("plugin.dev.verdant.spark.VerdantPlugin.application.energyJoules.csv")).toList();
            assertThat(energy).hasSize(1);
            List<String> lines = Files.readAllLines(energy.get(0));
            double last = Double.parseDouble(lines.get(lines.size() - 1).split(",")[1]);
            assertThat(last).isPositive();
        }
    }

    @Test
    void aFailedJobStillWritesItsEnergyUpToTheFailure() throws Exception {
        JavaSparkContext sc = new JavaSparkContext(conf(dir, "failing-job"));
        try {
            // every task computes for a while first: the failing one too, so the failure comes after real work
            assertThatThrownBy(() -> sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1024];
                for (int i = 0; i < 300_000; i++) {
                    buffer[i % 1024] = sha.digest(buffer)[0];
                }
                if (x == 4) {
                    throw new IllegalStateException("boom");
                }
                return buffer[x];
            }).collect()).isInstanceOf(SparkException.class);
            // written at the job's end (the listener bus delivers it a moment later), before the application stops
            Path file = dir.resolve(VerdantDriverPlugin.JSON_FILE);
            for (int i = 0; i < 500 && !Files.exists(file); i++) {
                Thread.sleep(20);
            }
            JsonNode snapshot = Json.mapper().readTree(dir.resolve(VerdantDriverPlugin.JSON_FILE).toFile());
            assertThat(snapshot.path("complete").asBoolean()).isFalse();
            assertThat(snapshot.path("jobs").get(0).path("status").asText()).isEqualTo("failed");
        } finally {
            sc.stop();
        }
        JsonNode json = Json.mapper().readTree(dir.resolve(VerdantDriverPlugin.JSON_FILE).toFile());
        assertThat(json.path("jobs").get(0).path("status").asText()).isEqualTo("failed");
        assertThat(json.path("jobs").get(0).path("energy_j").asDouble()).isPositive();
        assertThat(Files.readAllLines(dir.resolve(CsvSink.FILE_NAME))).hasSize(2);
    }
}
