package dev.verdant.energy;

import dev.verdant.energy.meter.RaplMeter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the tracker can be told, built with {@link #builder()} or loaded in layers: argument &gt; environment
 * ({@code VERDANT_COUNTRY}, ...) &gt; {@code ./verdant.properties} &gt; {@code ~/.verdant/verdant.properties} &gt;
 * default. Each setting remembers which layer gave it, so a bad value is reported with its origin.
 *
 * <p>Setting names (file keys; the environment variable is {@code VERDANT_} plus the name in upper case with
 * {@code -} as {@code _}): {@code project}, {@code country}, {@code region}, {@code intensity}, {@code pue},
 * {@code sample-interval-ms}, {@code cpu-watts-per-thread}, {@code ram-watts-per-gb}, {@code rapl}, {@code gpu},
 * {@code powercap-roots}, {@code output-dir}. Other keys in the files belong to other Verdant modules and are ignored.
 *
 * @param project            a project name for reports and the CSV
 * @param country            ISO 3166 country code or name; null when unknown
 * @param region             a sub-national grid ({@code US-CA}) or cloud region ({@code aws:us-east-1}); null if none
 * @param intensityOverride  gCO2e/kWh that wins over every table; null to look it up
 * @param pueOverride        power usage effectiveness; null for the provider's published figure or 1.0
 * @param sampleInterval     how often the sampling thread reads the meters
 * @param cpuWattsPerThread  power of one busy hardware thread, overriding the CPU table; null to look it up
 * @param ramWattsPerGigabyte memory power per resident gigabyte for the estimate
 * @param useRapl            whether to try RAPL counters
 * @param useGpu             whether to try NVML
 * @param powercapRoots      where to look for RAPL zones
 * @param outputDir          where sinks that write files put them
 * @param origins            for each setting given, the layer it came from
 */
public record EnergyConfig(String project, String country, String region, Double intensityOverride, Double pueOverride,
                           Duration sampleInterval, Double cpuWattsPerThread, double ramWattsPerGigabyte,
                           boolean useRapl, boolean useGpu, List<Path> powercapRoots, Path outputDir,
                           Map<String, String> origins) {

    /** The setting names, in the order the javadoc lists them. */
    public static final List<String> KEYS = List.of("project", "country", "region", "intensity", "pue",
            "sample-interval-ms", "cpu-watts-per-thread", "ram-watts-per-gb", "rapl", "gpu", "powercap-roots",
            "output-dir");

    public EnergyConfig {
        powercapRoots = List.copyOf(powercapRoots);
        origins = Map.copyOf(origins);
    }

    /** The defaults: no location, 1 s sampling, RAPL and GPU on, output in the working folder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.project = project;
        b.country = country;
        b.region = region;
        b.intensity = intensityOverride;
        b.pue = pueOverride;
        b.sampleInterval = sampleInterval;
        b.cpuWattsPerThread = cpuWattsPerThread;
        b.ramWattsPerGigabyte = ramWattsPerGigabyte;
        b.useRapl = useRapl;
        b.useGpu = useGpu;
        b.powercapRoots = powercapRoots;
        b.outputDir = outputDir;
        b.origins.putAll(origins);
        return b;
    }

    /** Loads the layers for this process: its environment, working folder and home folder, no arguments. */
    public static EnergyConfig fromEnvironment() {
        return load(Map.of(), System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Loads the layers.
     *
     * @param arguments  settings given on the command line (highest precedence), keyed by setting name
     * @param environment the environment variables
     * @param workingDir the folder whose {@code verdant.properties} is the project file
     * @param userHome   the folder whose {@code .verdant/verdant.properties} is the user file
     * @throws IllegalArgumentException for a malformed value, naming the setting and its layer
     */
    public static EnergyConfig load(Map<String, String> arguments, Map<String, String> environment, Path workingDir,
                                    Path userHome) {
        Builder builder = builder();
        applyFile(builder, userHome.resolve(".verdant").resolve("verdant.properties"));
        applyFile(builder, workingDir.resolve("verdant.properties"));
        for (String key : KEYS) {
            String variable = environmentVariable(key);
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                builder.set(key, value, variable);
            }
        }
        for (Map.Entry<String, String> argument : arguments.entrySet()) {
            if (argument.getValue() != null) {
                builder.set(argument.getKey(), argument.getValue(), "argument --" + argument.getKey());
            }
        }
        return builder.build();
    }

    /** {@code sample-interval-ms} becomes {@code VERDANT_SAMPLE_INTERVAL_MS}. */
    public static String environmentVariable(String key) {
        return "VERDANT_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static void applyFile(Builder builder, Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : KEYS) {
            String value = properties.getProperty(key);
            if (value != null && !value.isBlank()) {
                builder.set(key, value.strip(), file.toString());
            }
        }
    }

    /** Builds an {@link EnergyConfig}; each setter validates and says what it expected. */
    public static final class Builder {
        private String project = "verdant";
        private String country;
        private String region;
        private Double intensity;
        private Double pue;
        private Duration sampleInterval = Duration.ofSeconds(1);
        private Double cpuWattsPerThread;
        private double ramWattsPerGigabyte = 3.0 / 8.0;
        private boolean useRapl = true;
        private boolean useGpu = true;
        private List<Path> powercapRoots = RaplMeter.DEFAULT_ROOTS;
        private Path outputDir = Path.of(".");
        private final Map<String, String> origins = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets one named setting from text, as the layers do.
         *
         * @param origin the layer, quoted in error messages
         */
        public Builder set(String key, String value, String origin) {
            String where = " (from " + origin + ")";
            switch (key) {
                case "project" -> project(value);
                case "country" -> country(value);
                case "region" -> region(value);
                case "intensity" -> intensity(number(key, value, where));
                case "pue" -> pue(number(key, value, where));
                case "sample-interval-ms" -> sampleInterval(Duration.ofMillis((long) number(key, value, where)));
                case "cpu-watts-per-thread" -> cpuWattsPerThread(number(key, value, where));
                case "ram-watts-per-gb" -> ramWattsPerGigabyte(number(key, value, where));
                case "rapl" -> useRapl(bool(key, value, where));
                case "gpu" -> useGpu(bool(key, value, where));
                case "powercap-roots" -> powercapRoots(Arrays.stream(value.split(":")).filter(s -> !s.isBlank())
                        .map(Path::of).toList());
                case "output-dir" -> outputDir(Path.of(value));
                default -> throw new IllegalArgumentException("unknown energy setting '" + key + "'" + where
                        + "; known: " + String.join(", ", KEYS));
            }
            origins.put(key, origin);
            return this;
        }

        private static double number(String key, String value, String where) {
            try {
                double number = Double.parseDouble(value.strip());
                if (!Double.isFinite(number)) {
                    throw new NumberFormatException();
                }
                return number;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, got '" + value + "'" + where);
            }
        }

        private static boolean bool(String key, String value, String where) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'" + where);
            };
        }

        private IllegalArgumentException invalid(String key, String message) {
            String origin = origins.get(key);
            return new IllegalArgumentException(message + (origin == null ? "" : " (from " + origin + ")"));
        }

        public Builder project(String project) {
            this.project = project == null || project.isBlank() ? "verdant" : project.strip();
            return this;
        }

        public Builder country(String country) {
            this.country = country == null || country.isBlank() ? null : country.strip();
            return this;
        }

        public Builder region(String region) {
            this.region = region == null || region.isBlank() ? null : region.strip();
            return this;
        }

        public Builder intensity(Double gramsPerKilowattHour) {
            this.intensity = gramsPerKilowattHour;
            return this;
        }

        public Builder pue(Double pue) {
            this.pue = pue;
            return this;
        }

        public Builder sampleInterval(Duration sampleInterval) {
            this.sampleInterval = sampleInterval;
            return this;
        }

        public Builder cpuWattsPerThread(Double watts) {
            this.cpuWattsPerThread = watts;
            return this;
        }

        public Builder ramWattsPerGigabyte(double watts) {
            this.ramWattsPerGigabyte = watts;
            return this;
        }

        public Builder useRapl(boolean useRapl) {
            this.useRapl = useRapl;
            return this;
        }

        public Builder useGpu(boolean useGpu) {
            this.useGpu = useGpu;
            return this;
        }

        public Builder powercapRoots(List<Path> roots) {
            this.powercapRoots = List.copyOf(roots);
            return this;
        }

        public Builder outputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException for a negative or out-of-range figure, naming its origin
         */
        public EnergyConfig build() {
            if (intensity != null && !(intensity >= 0)) {
                throw invalid("intensity", "intensity must be a non-negative number of gCO2e/kWh, got " + intensity);
            }
            if (pue != null && !(pue >= 1.0)) {
                throw invalid("pue", "pue must be at least 1.0 (facility energy over IT energy), got " + pue);
            }
            if (sampleInterval == null || sampleInterval.toMillis() < 10 || sampleInterval.toHours() > 1) {
                throw invalid("sample-interval-ms", "sample interval must lie between 10 ms and 1 h, got "
                        + (sampleInterval == null ? "none" : sampleInterval.toMillis() + " ms"));
            }
            if (cpuWattsPerThread != null && !(cpuWattsPerThread > 0)) {
                throw invalid("cpu-watts-per-thread", "cpu-watts-per-thread must be a positive number, got "
                        + cpuWattsPerThread);
            }
            if (!(ramWattsPerGigabyte >= 0)) {
                throw invalid("ram-watts-per-gb", "ram-watts-per-gb must be a non-negative number, got "
                        + ramWattsPerGigabyte);
            }
            return new EnergyConfig(project, country, region, intensity, pue, sampleInterval, cpuWattsPerThread,
                    ramWattsPerGigabyte, useRapl, useGpu, new ArrayList<>(powercapRoots), outputDir, origins);
        }
    }
}
