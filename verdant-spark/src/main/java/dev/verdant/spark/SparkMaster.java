package dev.verdant.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code --spark MASTER} of Verdant's commands: the one check that a standalone master answers, and the one
 * Spark configuration the commands start their application with. Callers make sure Spark is on the class path first
 * ({@link SparkClassPath#require}).
 */
public final class SparkMaster {

    private SparkMaster() {
    }

    /**
     * Checks that a standalone master ({@code spark://host:port[,host:port]}) answers, so an unreachable one fails in
     * a second with its address rather than after Spark's minute of retries. Other masters ({@code local[N]},
     * {@code yarn}, {@code k8s://...}) are left to Spark.
     *
     * @throws IllegalArgumentException naming the address when no master of the list answers
     */
    public static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String last = "";
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--spark " + master + ": a standalone master is spark://HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))), 3_000);
                return;
            } catch (IOException | IllegalArgumentException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master " + master + ": " + last);
    }

    /**
     * The configuration of a command's application on {@code master}, checked reachable first: no web UI, Spark's
     * own log at warnings only (the command's output is the result), and a local master bound to the loopback.
     * Settings given as {@code -Dspark.*} system properties are kept.
     *
     * @throws IllegalArgumentException naming the address when a standalone master does not answer
     */
    public static SparkConf conf(String master) {
        checkReachable(master);   // before Spark starts logging
        SparkConf conf = new SparkConf().setMaster(master).set("spark.ui.enabled", "false")
                .set("spark.log.level", "WARN");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /**
     * Starts the application and waits, with a first empty job, for the executors Spark is told to wait for, so that
     * their start-up is not timed as the command's work.
     */
    static JavaSparkContext start(SparkConf conf) {
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.parallelize(List.of(0), 1).count();
            return sc;
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
    }

    /** Whether {@code master} runs everything in this JVM ({@code local}, {@code local[N]}, {@code local[*]}). */
    public static boolean isLocal(String master) {
        return master.startsWith("local");
    }
}
