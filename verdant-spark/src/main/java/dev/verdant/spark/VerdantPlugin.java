package dev.verdant.spark;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Verdant's energy tracking for any Spark application, turned on without changing the job's code:
 * {@code --conf spark.plugins=dev.verdant.spark.VerdantPlugin} with this jar (and verdant-energy, verdant-io) on
 * the driver's and executors' class path. Each executor runs a tracker and reports to the driver; the driver splits
 * executor energy over stages and jobs by task CPU time and writes {@code emissions.csv} (CodeCarbon's columns) and
 * {@code spark-energy.json} under {@code spark.verdant.out}, and publishes the figures as Spark metrics.
 * See {@link SparkEnergySettings} for the settings and {@code docs/spark.md} for what is measured where.
 */
public final class VerdantPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return new VerdantDriverPlugin();
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new VerdantExecutorPlugin();
    }
}
