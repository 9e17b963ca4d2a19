package dev.verdant.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what track and schedule wrote (real files of this build, in test resources), and bad input. */
class ChartInputsTest {

    @TempDir
    Path dir;

    static Path resource(Path dir, String name) throws IOException {
        try (InputStream in = ChartInputsTest.class.getResourceAsStream(name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    @Test
    void readsEmissionsCsvInCodeCarbonsUnits() throws Exception {
        List<RecordedRun> runs = EmissionsCsv.read(resource(dir, "emissions.csv"), ZoneOffset.UTC);
        assertThat(runs).hasSize(4);
        RecordedRun last = runs.getLast();
        assertThat(last.project()).isEqualTo("training");
        assertThat(last.runId()).isEqualTo("eb2cbd69-b8b6-4045-ba98-916b1f7ede69");
        assertThat(last.end()).isEqualTo(Instant.parse("2026-12-07T11:32:26Z"));
        assertThat(last.method()).isEqualTo("estimated");
        assertThat(last.energyJoules()).containsOnlyKeys("cpu", "ram"); // no GPU energy, no GPU column drawn
        // the CSV's kWh and kg are the JSON's joules and grams of the same run
        RecordedRun json = TrackJsonFiles.read(resource(dir, "track-sleep.json"));
        assertThat(last.energyJoules().get("cpu")).isCloseTo(json.energyJoules().get("cpu"), Offset.offset(1e-9));
        assertThat(last.emissionsGrams()).isCloseTo(json.emissionsGrams(), Offset.offset(1e-12));
        assertThat(json.name()).isEqualTo("sleep");
        assertThat(json.end()).isEqualTo(Instant.parse("2026-12-07T11:32:25.360Z").plusNanos(1_271_750_106));
    }

    @Test
    void aMalformedEmissionsCsvNamesItsLineAndColumn() throws Exception {
        Path good = resource(dir, "emissions.csv");
        List<String> lines = Files.readAllLines(good);
        String third = lines.get(2);
        List<String> fields = new java.util.ArrayList<>(List.of(third.split(",", -1)));
        fields.set(13, "lots"); // cpu_energy, the 14th column
        lines.set(2, String.join(",", fields));
        Path bad = Files.write(dir.resolve("bad.csv"), lines);
        assertThatThrownBy(() -> EmissionsCsv.read(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(bad + " line 3, column 14 (cpu_energy): 'lots' is not a number");

        Path noColumn = Files.writeString(dir.resolve("nocol.csv"), "timestamp,project_name\n2026-01-01T00:00:00,x\n");
        assertThatThrownBy(() -> EmissionsCsv.read(noColumn)).hasMessageContaining("line 1: no column 'run_id'");
        Path short_ = Files.writeString(dir.resolve("short.csv"), lines.get(0) + "\n2026-01-01T00:00:00,x\n");
        assertThatThrownBy(() -> EmissionsCsv.read(short_)).hasMessageContaining("line 2: 2 fields, the header has");
        Path badTime = Files.write(dir.resolve("time.csv"), List.of(lines.get(0), lines.get(1).replaceFirst("^[^,]*",
                "yesterday")));
        assertThatThrownBy(() -> EmissionsCsv.read(badTime)).hasMessageContaining("line 2, column 1 (timestamp): 'yesterday'");
        Path negative = Files.write(dir.resolve("neg.csv"), List.of(lines.get(0), lines.get(1).replace(",nightly,",
                ",nightly,").replaceFirst("(,[^,]*,[^,]*,[^,]*,)[^,]*", "$1-3")));
        assertThatThrownBy(() -> EmissionsCsv.read(negative)).hasMessageContaining("line 2, column 5 (duration): '-3'");
        Path empty = Files.write(dir.resolve("empty.csv"), List.of(lines.get(0)));
        assertThatThrownBy(() -> EmissionsCsv.read(empty)).hasMessageContaining("no runs");
        Path quote = Files.write(dir.resolve("quote.csv"), List.of(lines.get(0), "\"unclosed," + lines.get(1)));
        assertThatThrownBy(() -> EmissionsCsv.read(quote)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(quote + " line 2: a quoted field is not closed (fields spanning lines are not supported)");
    }

    @Test
    void readsAScheduleWithItsForecastAndRefusesOneWithout() throws Exception {
        Path file = resource(dir, "schedule.json");
        assertThat(ChartInput.of(file)).isEqualTo(ChartInput.SCHEDULE_JSON);
        SchedulePlan plan = SchedulePlan.read(file);
        assertThat(plan.chosen().region()).isEqualTo("FR");
        assertThat(plan.chosen().start()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(plan.regions()).extracting(SchedulePlan.Region::region).containsExactly("DE", "FR");
        SchedulePlan.Region fr = plan.regions().get(1);
        assertThat(fr.forecast()).isNotEmpty();
        assertThat(fr.forecast().getFirst().start()).isBeforeOrEqualTo(plan.windowStart());
        // the chosen window's average is the forecast's average over it: the points are the ones chosen from
        double sum = 0;
        double seconds = 0;
        for (SchedulePlan.Point p : fr.forecast()) {
            Instant from = p.start().isBefore(plan.chosen().start()) ? plan.chosen().start() : p.start();
            Instant to = p.end().isAfter(plan.chosen().end()) ? plan.chosen().end() : p.end();
            if (to.isAfter(from)) {
                double s = java.time.Duration.between(from, to).toSeconds();
                sum += p.intensity() * s;
                seconds += s;
            }
        }
        assertThat(sum / seconds).isCloseTo(plan.chosen().averageIntensity(), Offset.offset(1e-9));

        String old = Files.readString(file).replaceAll("\"forecast\" : \\[[^\\]]*\\]", "\"forecast\" : []");
        Path withoutForecast = Files.writeString(dir.resolve("old.json"), old);
        assertThatThrownBy(() -> SchedulePlan.read(withoutForecast)).hasMessageContaining("regions[0] has no forecast");
    }

    @Test
    void tellsTheKindOfEachInput() throws Exception {
        assertThat(ChartInput.of(resource(dir, "track-sh.json"))).isEqualTo(ChartInput.TRACK_JSON);
        assertThat(ChartInput.of(resource(dir, "emissions.csv"))).isEqualTo(ChartInput.EMISSIONS_CSV);
        Path results = Files.writeString(dir.resolve("bench.json"), "{\"kind\":\"bench\",\"schema_version\":2}");
        assertThat(ChartInput.of(results)).isEqualTo(ChartInput.RESULTS);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"regions\": [", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ChartInput.of(broken)).hasMessageContaining("broken.json is not JSON: line 1");
        Path noField = Files.writeString(dir.resolve("track.json"),
                Files.readString(resource(dir, "track-sh.json")).replace("\"co2e_kg\"", "\"co2e\""));
        assertThatThrownBy(() -> TrackJsonFiles.read(List.of(noField))).hasMessageContaining("'co2e_kg' must be a number");
    }
}
