package dev.verdant.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code verdant evaluate --spark MASTER}: one Spark application that scores the blocks with
 * {@link SparkEvaluation} under {@link VerdantPlugin}, and reads the plugin's figures back for the energy per 1,000
 * inferences. Its signature names no Spark type, so the CLI can hold it without Spark on its class path; it calls
 * it only after {@link SparkClassPath#require}.
 */
public final class DistributedEvaluation {

    private DistributedEvaluation() {
    }

    /**
     * What a distributed evaluation measured.
     *
     * @param sums              the merged sums (accuracy, fidelity)
     * @param seconds           wall-clock time of the scoring job (sessions opened on the executors included;
     *                          Spark's and the executors' start-up and the stop excluded)
     * @param master            the Spark master it ran on
     * @param blocks            the blocks (Spark partitions) scored
     * @param energyJoules      energy of the scoring job (the plugin's per-job figure: executor energy split by
     *                          task CPU time, PUE included)
     * @param co2eKilograms     its emissions
     * @param applicationJoules energy of the whole Spark application (driver and executors, start-up included)
     * @param energyMethod      {@code measured} or {@code estimated}
     * @param energyFile        the plugin's {@code spark-energy.json}
     */
    public record Run(EvaluationSums sums, double seconds, String master, int blocks, double energyJoules,
            double co2eKilograms, double applicationJoules, String energyMethod, Path energyFile) {

        /** Examples scored per second. */
        public double rowsPerSecond() {
            return sums.examples() / seconds;
        }
    }

    /**
     * Runs the evaluation as a Spark application on {@code master} with the plugin on, its energy files in
     * {@code energyFolder}.
     *
     * @param baseline the baseline's bytes, or null
     */
    public static Run run(String master, List<EvaluationBlock> blocks, byte[] model, byte[] baseline, int batchSize,
            int threads, Path energyFolder) {
        return runWith(SparkMaster.conf(master), blocks, model, baseline, batchSize, threads, energyFolder);
    }

    /**
     * Runs the evaluation as a Spark application configured by {@code conf} (its master and whatever the cluster
     * needs), with the plugin on and its energy files in {@code energyFolder}.
     */
    public static Run runWith(SparkConf conf, List<EvaluationBlock> blocks, byte[] model, byte[] baseline,
            int batchSize, int threads, Path energyFolder) {
        String master = conf.get("spark.master");
        SparkMaster.checkReachable(master);
        conf.setAppName("verdant-evaluate")
                .set("spark.plugins", VerdantPlugin.class.getName())
                .set("spark.verdant.out", energyFolder.toAbsolutePath().toString());
        EvaluationSums sums;
        double seconds;
        JavaSparkContext sc = SparkMaster.start(conf);
        try {
            long start = System.nanoTime();
            sums = SparkEvaluation.scoreBlocks(sc, blocks, model, baseline, batchSize, threads);
            seconds = (System.nanoTime() - start) / 1e9;
        } finally {
            sc.stop();
        }
        Path file = energyFolder.resolve(VerdantDriverPlugin.JSON_FILE);
        JsonNode json;
        try {
            json = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plugin's " + file + ": " + e.getMessage(), e);
        }
        double jobJoules = 0;
        double jobCo2e = 0;
        for (JsonNode job : json.path("jobs")) {
            jobJoules += job.path("energy_j").asDouble();
            jobCo2e += job.path("co2e_kg").asDouble();
        }
        JsonNode app = json.path("application");
        return new Run(sums, seconds, master, blocks.size(), jobJoules, jobCo2e, app.path("energy_j").asDouble(),
                app.path("method").asText(), file);
    }
}
