package dev.verdant.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyConfigTest {

    @TempDir
    Path home;
    @TempDir
    Path project;

    private void files() throws Exception {
        Files.createDirectories(home.resolve(".verdant"));
        Files.writeString(home.resolve(".verdant/verdant.properties"),
                "country=DE\npue=1.3\nsample-interval-ms=500\nram-watts-per-gb=0.5\nschedule.window=2h\n");
        Files.writeString(project.resolve("verdant.properties"), "country=FR\nproject=mnist\n");
    }

    @Test
    void argumentBeatsEnvironmentBeatsProjectFileBeatsUserFileBeatsDefault() throws Exception {
        files();
        EnergyConfig config = EnergyConfig.load(Map.of("pue", "1.2"),
                Map.of("VERDANT_PUE", "1.5", "VERDANT_SAMPLE_INTERVAL_MS", "250"), project, home);
        assertThat(config.pueOverride()).isEqualTo(1.2);
        assertThat(config.origins()).containsEntry("pue", "argument --pue");
        assertThat(config.sampleInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.origins()).containsEntry("sample-interval-ms", "VERDANT_SAMPLE_INTERVAL_MS");
        assertThat(config.country()).isEqualTo("FR");
        assertThat(config.project()).isEqualTo("mnist");
        assertThat(config.ramWattsPerGigabyte()).isEqualTo(0.5);
        assertThat(config.origins().get("ram-watts-per-gb")).endsWith("verdant.properties");
        assertThat(config.intensityOverride()).isNull();
        assertThat(config.useRapl()).isTrue();
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        EnergyConfig config = EnergyConfig.load(Map.of(), Map.of(), project, home);
        assertThat(config.sampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.pueOverride()).isNull();
        assertThat(config.country()).isNull();
        assertThat(config.project()).isEqualTo("verdant");
    }

    @Test
    void badValuesNameTheSettingTheValueAndTheLayer() {
        assertThatThrownBy(() -> EnergyConfig.load(Map.of(), Map.of("VERDANT_PUE", "abc"), project, home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pue must be a number, got 'abc' (from VERDANT_PUE)");
        assertThatThrownBy(() -> EnergyConfig.load(Map.of("pue", "0.8"), Map.of(), project, home))
                .hasMessageContaining("pue must be at least 1.0").hasMessageContaining("argument --pue");
        assertThatThrownBy(() -> EnergyConfig.load(Map.of("intensity", "-5"), Map.of(), project, home))
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> EnergyConfig.builder().set("rapl", "maybe", "test"))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> EnergyConfig.builder().sampleInterval(Duration.ofMillis(1)).build())
                .hasMessageContaining("between 10 ms and 1 h");
    }

    @Test
    void environmentNamesFollowOneRule() {
        assertThat(EnergyConfig.environmentVariable("sample-interval-ms")).isEqualTo("VERDANT_SAMPLE_INTERVAL_MS");
        assertThat(EnergyConfig.environmentVariable("country")).isEqualTo("VERDANT_COUNTRY");
    }
}
