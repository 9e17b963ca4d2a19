package dev.verdant.spark;

import dev.verdant.energy.EnergyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * What the plugin is told through Spark's configuration, over Verdant's usual layers: a {@code spark.verdant.*} key
 * wins over {@code VERDANT_*} variables, {@code ./verdant.properties} and {@code ~/.verdant/verdant.properties}
 * (see {@link EnergyConfig}), which win over the defaults.
 *
 * <table>
 *   <caption>Spark keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code spark.verdant.out}</td><td>folder of {@code emissions.csv} and {@code spark-energy.json}</td>
 *       <td>the driver's working directory</td></tr>
 *   <tr><td>{@code spark.verdant.country}</td><td>ISO country of the grid</td><td>Verdant's layers, else world</td></tr>
 *   <tr><td>{@code spark.verdant.region}</td><td>sub-national grid or cloud region</td><td>Verdant's layers</td></tr>
 *   <tr><td>{@code spark.verdant.pue}</td><td>power usage effectiveness</td><td>Verdant's layers, else 1.0 or the
 *       cloud's</td></tr>
 *   <tr><td>{@code spark.verdant.intervalMs}</td><td>how often each tracker samples and each executor reports</td>
 *       <td>1000</td></tr>
 *   <tr><td>{@code spark.verdant.project}</td><td>project name in the CSV</td><td>{@code spark.app.name}</td></tr>
 *   <tr><td>{@code spark.verdant.finalWaitMs}</td><td>how long the driver waits at the end for executors' last
 *       reports</td><td>3000</td></tr>
 * </table>
 *
 * @param energy      the tracker's configuration
 * @param outputDir   where the driver writes its two files
 * @param interval    how often executors report to the driver
 * @param finalWait   how long the driver waits for the executors' last reports when the application stops
 */
public record SparkEnergySettings(EnergyConfig energy, Path outputDir, Duration interval, Duration finalWait) {

    /** The prefix of every key the plugin reads. */
    public static final String PREFIX = "spark.verdant.";

    /** Spark key → the energy setting it gives. */
    private static final Map<String, String> ENERGY_KEYS = Map.of(
            "country", "country", "region", "region", "pue", "pue", "intervalMs", "sample-interval-ms",
            "project", "project");

    /**
     * Reads the settings from a Spark configuration and this process's environment and files.
     *
     * @throws IllegalArgumentException for a malformed value, naming its {@code spark.verdant.*} key or layer
     */
    public static SparkEnergySettings from(SparkConf conf) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            values.put(entry._1(), entry._2());
        }
        return from(values, System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Reads the settings from Spark's key/value pairs over the given layers.
     *
     * @throws IllegalArgumentException for a malformed value, naming its {@code spark.verdant.*} key or layer
     */
    public static SparkEnergySettings from(Map<String, String> sparkConf, Map<String, String> environment,
            Path workingDir, Path userHome) {
        for (String key : sparkConf.keySet()) {
            String name = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : null;
            if (name != null && !ENERGY_KEYS.containsKey(name) && !name.equals("out") && !name.equals("finalWaitMs")) {
                throw new IllegalArgumentException("unknown Spark setting " + key + "; known: " + PREFIX + "out, "
                        + String.join(", ", ENERGY_KEYS.keySet().stream().sorted().map(k -> PREFIX + k).toList())
                        + ", " + PREFIX + "finalWaitMs");
            }
        }
        EnergyConfig layered = EnergyConfig.load(Map.of(), environment, workingDir, userHome);
        EnergyConfig.Builder builder = layered.toBuilder();
        if (!sparkConf.containsKey(PREFIX + "project") && !layered.origins().containsKey("project")
                && sparkConf.containsKey("spark.app.name")) {
            builder.project(sparkConf.get("spark.app.name"));
        }
        ENERGY_KEYS.forEach((sparkName, energyName) -> {
            String value = sparkConf.get(PREFIX + sparkName);
            if (value != null) {
                builder.set(energyName, value, "Spark setting " + PREFIX + sparkName);
            }
        });
        EnergyConfig energy = builder.build();
        String out = sparkConf.get(PREFIX + "out");
        Path outputDir = out == null || out.isBlank() ? workingDir : Path.of(out.strip());
        long finalWaitMillis = millis(sparkConf.getOrDefault(PREFIX + "finalWaitMs", "3000"), PREFIX + "finalWaitMs");
        return new SparkEnergySettings(energy, outputDir, energy.sampleInterval(), Duration.ofMillis(finalWaitMillis));
    }

    private static long millis(String value, String key) {
        try {
            long millis = Long.parseLong(value.strip());
            if (millis < 0 || millis > 600_000) {
                throw new NumberFormatException();
            }
            return millis;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds from 0 to 600000, got '"
                    + value + "'");
        }
    }
}
