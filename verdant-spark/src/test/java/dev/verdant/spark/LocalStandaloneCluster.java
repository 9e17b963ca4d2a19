package dev.verdant.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests and benchmarks: a Master and one Worker JVM started from
 * the Spark jars as {@code spark-class} would (their {@code SPARK_HOME/jars} is made of links to the test class
 * path's jars, Verdant's excepted), the Worker launching real executor JVMs. Verdant and the job's classes reach
 * the executors only through {@code spark.executor.extraClassPath}, as a user's submission would bring them.
 * Closing it stops the Worker (which stops its executors) and the Master, and keeps their logs under
 * {@code target/cluster-logs}.
 */
public final class LocalStandaloneCluster implements AutoCloseable {

    private final Path dir;
    private final String master;
    private final String executorClasspath;
    private final List<Process> started = new ArrayList<>();

    private LocalStandaloneCluster(Path dir, String master, String executorClasspath) {
        this.dir = dir;
        this.master = master;
        this.executorClasspath = executorClasspath;
    }

    /** Starts a Master and a Worker offering {@code workerCores} cores and {@code workerMemory} (e.g. 1g). */
    public static LocalStandaloneCluster start(Path dir, int workerCores, String workerMemory) throws IOException,
            InterruptedException {
        Path classpathFile = Path.of(System.getProperty("verdant.spark.test.classpath"));
        List<String> testClasspath = Arrays.asList(Files.readString(classpathFile).strip().split(File.pathSeparator));
        Path moduleTarget = classpathFile.getParent();
        List<String> verdant = new ArrayList<>(List.of(moduleTarget.resolve("classes").toString(),
                moduleTarget.resolve("test-classes").toString()));
        Path jars = Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
        for (String entry : testClasspath) {
            Path path = Path.of(entry);
            if (entry.contains("dev/verdant") || entry.contains("verdant-") || !entry.endsWith(".jar")) {
                verdant.add(entry);
            } else if (Files.isRegularFile(path) && !Files.exists(jars.resolve(path.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(path.getFileName()), path);
            }
        }
        int masterPort = freePort();
        LocalStandaloneCluster cluster = new LocalStandaloneCluster(dir, "spark://127.0.0.1:" + masterPort,
                String.join(File.pathSeparator, verdant));
        String classpath = jars + File.separator + "*";
        try {
            cluster.launch("master", classpath, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
            awaitPort(masterPort);
            cluster.launch("worker", classpath, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", Integer.toString(workerCores), "--memory", workerMemory, "--webui-port",
                    Integer.toString(freePort()), "--work-dir", dir.resolve("work").toString(), cluster.master);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code spark://127.0.0.1:PORT}. */
    public String master() {
        return master;
    }

    /** A driver's configuration for this cluster: the driver on 127.0.0.1, Verdant on the executors' class path. */
    public SparkConf conf(String appName) {
        return new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", executorClasspath)
                .set("spark.executor.extraJavaOptions", System.getProperty("spark.jvm.flags"));
    }

    private void launch(String name, String classpath, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.flags").split(" ")));
        command.addAll(List.of("-Xmx512m", "-cp", classpath, mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");   // else the Worker looks for build folders
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
        throw new IllegalStateException("the Master did not open port " + port + " in 60 s");
    }

    /** Stops the Worker (and so its executors), then the Master; keeps the logs. */
    @Override
    public void close() throws InterruptedException {
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

    private void keepLogs() {
        Path logs = Path.of(System.getProperty("verdant.spark.test.classpath")).getParent().resolve("cluster-logs");
        try (var files = Files.walk(dir)) {
            Files.createDirectories(logs);
            for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString()
                    .matches("std(out|err)")).toList()) {
                Files.copy(file, logs.resolve(dir.relativize(file).toString().replace(File.separatorChar, '_')),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // diagnostics only
        }
    }
}
