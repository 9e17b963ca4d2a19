package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEnergySettingsTest {

    @TempDir
    Path dir;

    @Test
    void sparkKeysWinOverVerdantsLayersWhichFillTheRest() throws Exception {
        Files.writeString(dir.resolve("verdant.properties"), "pue = 1.4\nregion = US-CA\n");
        SparkEnergySettings settings = SparkEnergySettings.from(Map.of("spark.app.name", "etl",
                "spark.verdant.country", "DEU", "spark.verdant.intervalMs", "250", "spark.verdant.out", "/tmp/x"),
                Map.of("VERDANT_PUE", "1.2"), dir, dir.resolve("home"));
        assertThat(settings.energy().country()).isEqualTo("DEU");
        assertThat(settings.energy().region()).isEqualTo("US-CA");           // the project file
        assertThat(settings.energy().pueOverride()).isEqualTo(1.2);          // the environment over the file
        assertThat(settings.interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.energy().project()).isEqualTo("etl");            // the application's name
        assertThat(settings.outputDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(settings.finalWait()).isEqualTo(Duration.ofSeconds(3));

        SparkEnergySettings defaults = SparkEnergySettings.from(Map.of(), Map.of(), dir.resolve("none"),
                dir.resolve("home"));
        assertThat(defaults.outputDir()).isEqualTo(dir.resolve("none"));     // the driver's working directory
        assertThat(defaults.interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBadValueNamesItsSparkKey() {
        assertThatThrownBy(() -> SparkEnergySettings.from(Map.of("spark.verdant.pue", "0.5"), Map.of(), dir, dir))
                .hasMessageContaining("spark.verdant.pue");
        assertThatThrownBy(() -> SparkEnergySettings.from(Map.of("spark.verdant.intervalMs", "1"), Map.of(), dir,
                dir)).hasMessageContaining("spark.verdant.intervalMs");
        assertThatThrownBy(() -> SparkEnergySettings.from(Map.of("spark.verdant.contry", "FR"), Map.of(), dir, dir))
                .hasMessageContaining("unknown Spark setting spark.verdant.contry");
        assertThatThrownBy(() -> SparkEnergySettings.from(Map.of("spark.verdant.finalWaitMs", "soon"), Map.of(), dir,
                dir)).hasMessageContaining("spark.verdant.finalWaitMs");
    }
}
