package dev.verdant.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.cli.CliRun;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.SignalledCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    /** How long a child JVM of {@link #interruptAfter} may live; its runs take a few seconds. */

    @TempDir
    Path dir;

    /** A clock the test moves: the command's sleeper advances it instead of waiting. */
    static final class SteppingClock extends Clock {
        Instant now;
        Duration slept = Duration.ZERO;

        SteppingClock(Instant start) {
            this.now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void sleep(Duration d) {
            now = now.plus(d);
            slept = slept.plus(d);
        }
    }

    private static CliRun run(SteppingClock clock, String... args) {
        return ScheduleCommandTest.runConfigured("run", (RunCommand command) -> {
            command.clock = clock;
            command.sleeper = clock::sleep;
            command.environment = Map.of();
            command.interactive = false;
        }, args);
    }

    /** Hourly DE forecast from {@code start}: dirty, except a clean hour at {@code cleanHour}. */
    private Path forecast(Instant start, int hours, int cleanHour) throws IOException {
        StringBuilder sb = new StringBuilder("region,time,intensity_g_per_kwh\n");
        for (int h = 0; h < hours; h++) {
            sb.append("DE,").append(start.plus(Duration.ofHours(h))).append(',').append(h == cleanHour ? 100 : 400).append('\n');
        }
        return Files.writeString(dir.resolve("de.csv"), sb.toString());
    }

    @Test
    void waitsForTheGreenHourThenRunsAndPassesTheExitCodeThrough() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        Path f = forecast(T0, 8, 3);

        CliRun r = run(clock, "run", "--when-green", "--within", "8h", "--duration", "1h", "--region", "DE",
                "--forecast", f.toString(), "--json", "--", "sh", "-c", "exit 3");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(clock.slept).isEqualTo(Duration.ofHours(3));
        assertThat(r.err()).contains("greenest 1h start in DE within 8h: 2026-11-23T03:00:00Z")
                .contains("waiting for the green window: sh starts at 2026-11-23T03:00:00Z, in 03:00:00")
                .contains("verdant: started sh -c exit 3")
                .contains("sh exited with 3");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("exit_code").asInt()).isEqualTo(3);
        assertThat(json.get("planned_start").asText()).isEqualTo("2026-11-23T03:00:00Z");
        assertThat(Instant.parse(json.get("start").asText())).isAfterOrEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(json.get("intensity_g_per_kwh").asDouble()).isEqualTo(100.0);
        assertThat(json.get("now_intensity_g_per_kwh").asDouble()).isEqualTo(400.0);
    }

    @Test
    void reportsMeasuredEnergyEmissionsAndSciConsistently() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        Path f = forecast(T0, 8, 0);

        CliRun r = run(clock, "run", "--region", "DE", "--forecast", f.toString(), "--sci-unit", "1000",
                "--sci-unit-name", "inferences", "--json", "--", "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        double energy = json.get("energy_kwh").asDouble();
        double intensity = json.get("intensity_g_per_kwh").asDouble();
        assertThat(energy).isPositive();
        assertThat(energy).isCloseTo(json.get("it_energy_kwh").asDouble() * json.get("pue").asDouble(), within(1e-12));
        assertThat(intensity).isEqualTo(100.0);
        assertThat(json.get("emissions_g").asDouble()).isCloseTo(energy * intensity, within(1e-12));
        JsonNode sci = json.get("sci");
        double embodied = sci.get("embodied_g").asDouble();
        double hours = json.get("duration_seconds").asDouble() / 3600;
        assertThat(embodied).isCloseTo(763.23e3 * hours / (4 * 365.25 * 24), within(1e-9));
        assertThat(sci.get("grams_per_unit").asDouble()).isCloseTo((energy * intensity + embodied) / 1000, within(1e-12));
        assertThat(sci.get("unit").asText()).isEqualTo("inferences");
        assertThat(r.err()).contains("verdant: SCI ").contains("per inferences");
    }

    @Test
    void fallbackNowRunsAtOnceWhenTheForecastIsUnusable() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        Path tooShort = forecast(T0, 4, 2);

        CliRun refused = run(clock, "run", "--when-green", "--within", "8h", "--region", "DE", "--forecast", tooShort.toString(), "--", "true");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(refused.err()).contains("does not cover the window").doesNotContain("Exception");

        CliRun fellBack = run(clock, "run", "--when-green", "--within", "8h", "--region", "DE", "--forecast", tooShort.toString(),
                "--fallback", "now", "--", "true");
        assertThat(fellBack.exitCode()).as(fellBack.err()).isZero();
        assertThat(fellBack.err()).contains("running now (--fallback now)").doesNotContain("waiting");
        assertThat(clock.slept).isZero();

        CliRun unknownRegion = run(clock, "run", "--when-green", "--within", "2h", "--region", "PL", "--forecast", tooShort.toString(),
                "--fallback", "now", "--", "true");
        assertThat(unknownRegion.exitCode()).isZero();
        assertThat(unknownRegion.err()).contains("unknown region 'PL'");
    }

    @Test
    void badInvocationsAreOneLineExitCode2() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        Path f = forecast(T0, 8, 3);
        for (String[] args : List.of(
                new String[] {"run", "--when-green", "--region", "DE", "--forecast", f.toString(), "--", "true"},
                new String[] {"run", "--when-green", "--within", "8h", "--", "true"},
                new String[] {"run", "--when-green", "--within", "8h", "--region", "DE,FR", "--forecast", f.toString(), "--", "true"},
                new String[] {"run", "--when-green", "--within", "8h", "--region", "DE", "--forecast", f.toString(), "--fallback", "later", "--", "true"},
                new String[] {"run", "--", "/no/such/program-verdant"})) {
            ScheduleCommandTest.assertBad(run(clock, args), "");
        }
        assertThat(run(clock, "run", "--", "/no/such/program-verdant").err()).contains("cannot run '/no/such/program-verdant'");
    }

    @Test
    void ctrlCWhileWaitingExitsCleanlyWithoutRunningTheCommand() throws Exception {
        // A real JVM, a real clock and a real SIGINT: the shutdown hook must say what happened, with no stack trace.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Path f = forecast(hour, 6, 3);
        Path marker = dir.resolve("ran");
        String output = interruptAfter("waiting for the green window", 130, "run", "--when-green", "--within", "5h",
                "--duration", "1h", "--region", "DE", "--forecast", f.toString(), "--", "touch", marker.toString());
        assertThat(output).contains("verdant: cancelled; touch did not run");
        assertThat(marker).doesNotExist();
    }

    @Test
    void ctrlCWhileTheCommandRunsStopsIt() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Path f = forecast(hour, 6, 0);
        // The clean hour is the current one, so the command starts at once; SIGINT goes to the JVM only, so it is
        // the shutdown hook that must stop the 60-second sleep.
        String output = interruptAfter("verdant: started sleep", 130, "run", "--when-green", "--within", "2h",
                "--duration", "10m", "--region", "DE", "--forecast", f.toString(), "--", "sleep", "60");
        assertThat(output).contains("verdant: interrupted; stopping sleep");
    }

    private static String interruptAfter(String trigger, int expectedExit, String... args) throws Exception {
        return SignalledCli.signalAfter(trigger, "INT", expectedExit, args);
    }
}
