package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.energy.sink.CsvSink;
import dev.verdant.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin on a real standalone cluster on 127.0.0.1 ({@link LocalStandaloneCluster}: a Master and a Worker JVM
 * started from the Spark jars, the Worker launching a real executor JVM), and a job submitted with the plugin. One
 * short job: CI's budget.
 */
class StandaloneClusterTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theDriversAndTheExecutorsEnergyReachTheOutput() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(dir, 1, "1g")) {
            SparkConf conf = cluster.conf("cluster-job")
                    .set("spark.plugins", VerdantPlugin.class.getName())
                    .set("spark.verdant.out", out.toString())
                    .set("spark.verdant.intervalMs", "200")
                    .set("spark.verdant.finalWaitMs", "15000")
                    .set("spark.executor.memory", "512m")
                    .set("spark.cores.max", "1");
            JavaSparkContext sc = new JavaSparkContext(conf);
            try {
                List<Long> numbers = LongStream.range(0, 200_000).boxed().toList();
                long groups = sc.parallelize(numbers, 2).mapToPair(x -> new scala.Tuple2<>(x % 13, x))
                        .reduceByKey(Long::sum).count();
                assertThat(groups).isEqualTo(13);
            } finally {
                sc.stop();
            }
        }

        JsonNode json = Json.mapper().readTree(out.resolve(VerdantDriverPlugin.JSON_FILE).toFile());
        assertThat(json.path("driver").path("energy_j").asDouble()).isPositive();
        JsonNode executors = json.path("executors");
        assertThat(executors).hasSize(1);
        JsonNode executor = executors.get(0);
        assertThat(executor.path("id").asText()).isNotEqualTo("driver");
        assertThat(executor.path("status").asText()).as(executor.toString()).isEqualTo("measured");
        assertThat(executor.path("energy_j").asDouble()).isPositive();
        assertThat(executor.path("in_driver_process").asBoolean()).isFalse();
        assertThat(executor.path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(executor.path("counted_in_total").asBoolean()).isTrue();
        assertThat(executor.path("final_report").asBoolean()).isTrue();
        assertThat(executor.path("tasks").asInt()).isGreaterThanOrEqualTo(2);
        // the application is the two JVMs, each counted once
        assertThat(json.path("application").path("it_energy_j").asDouble()).isCloseTo(
                json.path("driver").path("it_energy_j").asDouble() + executor.path("it_energy_j").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        List<String> csv = Files.readAllLines(out.resolve(CsvSink.FILE_NAME));
        assertThat(csv).hasSize(2);
        double kwh = Double.parseDouble(csv.get(1).split(",", -1)[CsvSink.CODECARBON_COLUMNS.indexOf("energy_consumed")]);
        assertThat(kwh * 3.6e6).isCloseTo(json.path("application").path("energy_j").asDouble(),
                org.assertj.core.data.Offset.offset(1e-6));
    }
}
