package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.energy.sink.CsvSink;
import dev.verdant.io.Json;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin on a real standalone cluster on 127.0.0.1: a Master and a Worker JVM started from the Spark jars as
 * {@code spark-class} would, the Worker launching a real executor JVM, and a job submitted with the plugin. Spark's
 * jars form the cluster's {@code SPARK_HOME/jars}; Verdant reaches the executor only through
 * {@code spark.executor.extraClassPath}, as a user's submission would bring it. One short job: CI's budget.
 */
class StandaloneClusterTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process process : started.reversed()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        keepLogs();
    }

    /** The cluster's logs (Master, Worker, the executor's stdout and stderr) under target/, to read when it fails. */
    private void keepLogs() {
        Path logs = Path.of(System.getProperty("verdant.spark.test.classpath")).getParent().resolve("cluster-logs");
        try (var files = Files.walk(dir)) {
            Files.createDirectories(logs);
            for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString()
                    .matches("std(out|err)")).toList()) {
                Files.copy(file, logs.resolve(dir.relativize(file).toString().replace(File.separatorChar, '_')),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // diagnostics only
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theDriversAndTheExecutorsEnergyReachTheOutput() throws Exception {
        List<String> testClasspath = Arrays.asList(Files.readString(Path.of(System.getProperty(
                "verdant.spark.test.classpath"))).strip().split(File.pathSeparator));
        Path moduleTarget = Path.of(System.getProperty("verdant.spark.test.classpath")).getParent();
        // what the user brings: Verdant's jars (or class folders in this build) and the job's classes
        List<String> verdant = new ArrayList<>(List.of(moduleTarget.resolve("classes").toString(),
                moduleTarget.resolve("test-classes").toString()));
        Path sparkHome = dir.resolve("spark-home");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String entry : testClasspath) {
            Path path = Path.of(entry);
            if (entry.contains("dev/verdant") || entry.contains("verdant-") || !entry.endsWith(".jar")) {
                verdant.add(entry);
            } else if (Files.isRegularFile(path)) {
                Files.createSymbolicLink(jars.resolve(path.getFileName()), path);
            }
        }
        String classpath = jars + File.separator + "*";
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        start("master", classpath, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        awaitPort(masterPort);
        start("worker", classpath, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                dir.resolve("work").toString(), master);

        Path out = Files.createDirectories(dir.resolve("out"));
        SparkConf conf = new SparkConf().setMaster(master).setAppName("cluster-job")
                .set("spark.plugins", VerdantPlugin.class.getName())
                .set("spark.verdant.out", out.toString())
                .set("spark.verdant.intervalMs", "200")
                .set("spark.verdant.finalWaitMs", "15000")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", "512m")
                .set("spark.cores.max", "1")
                .set("spark.executor.extraClassPath", String.join(File.pathSeparator, verdant))
                .set("spark.executor.extraJavaOptions", System.getProperty("spark.jvm.flags"));
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            List<Long> numbers = LongStream.range(0, 200_000).boxed().toList();
            long groups = sc.parallelize(numbers, 2).mapToPair(x -> new scala.Tuple2<>(x % 13, x))
                    .reduceByKey(Long::sum).count();
            assertThat(groups).isEqualTo(13);
        } finally {
            sc.stop();
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

    private void start(String name, String classpath, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.flags").split(" ")));
        command.addAll(List.of("-Xmx512m", "-cp", classpath, mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        started.add(builder.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the Master did not open port " + port + " in 60 s");
    }
}
