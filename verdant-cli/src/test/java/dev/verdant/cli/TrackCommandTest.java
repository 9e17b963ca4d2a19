package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.energy.sink.CsvSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackCommandTest {

    @TempDir
    Path out;

    @Test
    void tracksACommandWritesTheCsvAndJsonAndPrintsLabelledFigures() throws Exception {
        // a command that does some work: a sleep alone may use no CPU tick at all, and is then reported below
        // the meter's resolution without a cpu line (CI saw that)
        CliRun run = CliRun.of("track", "--country", "FR", "--out", out.toString(), "--", "sh", "-c",
                "i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("verdant track: sh -c i=0; while")
                .contains("cpu").contains("ram").contains("gCO2e").contains("FR: France")
                .containsPattern("method: (estimated|measured)")
                .contains("assumptions:");
        List<String> csv = Files.readAllLines(out.resolve(CsvSink.FILE_NAME));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).isEqualTo(String.join(",", CsvSink.CODECARBON_COLUMNS));
        try (var files = Files.list(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("sh-")
                    && p.toString().endsWith(".json"))).hasSize(1);
        }
        CliRun second = CliRun.of("track", "--country", "FR", "--out", out.toString(), "--", "true");
        assertThat(second.exitCode()).isZero();
        assertThat(Files.readAllLines(out.resolve(CsvSink.FILE_NAME))).hasSize(3); // header written once
    }

    @Test
    void aCommandTooShortToRegisterIsReportedBelowTheMetersResolutionNotAsZeroJoules() throws Exception {
        CliRun run = CliRun.of("track", "--country", "FR", "--out", out.toString(), "--", "true");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContainPattern("total\\s+0 J");
        JsonNode json;
        try (var files = Files.list(out)) {
            json = new ObjectMapper().readTree(files.filter(p -> p.getFileName().toString().startsWith("true-"))
                    .findFirst().orElseThrow().toFile());
        }
        if (json.get("energy_j").asDouble() == 0) {
            assertThat(json.get("below_resolution").asBoolean()).isTrue();
            String resolution = json.get("components").get("cpu").get("resolution").asText();
            assertThat(run.out()).contains("energy     below the meter's resolution (" + resolution + ")")
                    .doesNotContain(" 0 J").doesNotContain(" 0 gCO2e");
            if (json.get("components").get("cpu").get("method").asText().equals("estimated")) {
                assertThat(resolution).isEqualTo("one 10 ms CPU tick");
            }
        } else {
            assertThat(json.get("below_resolution").asBoolean()).isFalse();
            assertThat(run.out()).doesNotContain("below the meter's resolution");
        }
    }

    @Test
    void withJsonTheCommandsStdoutGoesToStderrByteForByte() throws Exception {
        // verdant track --json used to decode the command's stdout as UTF-8 on its way to stderr: FF FE became
        // EF BF BD twice. Only a JVM of its own has a stderr to look at.
        Path stderr = out.resolve("stderr.bin");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.verdant.cli.Main", "track", "--json", "--country", "DE",
                "--out", out.toString(), "--", "printf", "\\377\\376done");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(Files.readString(stderr, java.nio.charset.StandardCharsets.ISO_8859_1)).isZero();
        assertThat(new ObjectMapper().readTree(stdout).get("tracked").get("exit_code").asInt()).isZero();
        byte[] err = Files.readAllBytes(stderr);
        assertThat(java.util.HexFormat.of().formatHex(err)).contains("fffe646f6e65");
    }

    @Test
    void aCpuBoundCommandUsesMoreCpuEnergyThanSleepingAndJsonGoesToStdout() throws Exception {
        CliRun busy = CliRun.of("track", "--json", "--country", "DE", "--out", out.toString(), "--",
                "sh", "-c", "i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done; echo done");
        assertThat(busy.exitCode()).as(busy.err()).isZero();
        JsonNode node = new ObjectMapper().readTree(busy.out());
        assertThat(node.get("tracked").get("exit_code").asInt()).isZero();
        CliRun idle = CliRun.of("track", "--json", "--country", "DE", "--out", out.toString(), "--", "sleep", "0.2");
        JsonNode idleNode = new ObjectMapper().readTree(idle.out());
        assertThat(node.get("tracked").get("components").get("cpu").get("energy_j").asDouble())
                .isGreaterThan(idleNode.get("tracked").get("components").get("cpu").get("energy_j").asDouble());
        assertThat(node.get("tracked").get("co2e_kg").asDouble()).isPositive();
        assertThat(node.get("tracked").get("grid").get("key").asText()).isEqualTo("DE");
        assertThat(node.get("energy").get("assumptions")).isNotEmpty();
    }

    @Test
    void theJsonIsATrackResultThatVerdantReportReads() throws Exception {
        CliRun run = CliRun.of("track", "--json", "--country", "FR", "--out", out.toString(), "--", "sleep", "0.2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode node = new ObjectMapper().readTree(run.out());
        assertThat(node.get("kind").asText()).isEqualTo("track");
        assertThat(node.get("run").get("command").asText()).startsWith("verdant track --json");
        Path result = Files.writeString(out.resolve("track-result.json"), run.out());
        Path page = out.resolve("track.html");
        CliRun report = CliRun.of("report", result.toString(), "-o", page.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Files.readString(page)).contains("verdant track: sleep 0.2").contains("emissions: ")
                .contains("method: ");
    }

    @Test
    void servesLiveMetricsWhileTheCommandRuns() {
        CliRun run = CliRun.of("track", "--prometheus-port", "0", "--out", out.toString(), "--", "sleep", "0.2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).containsPattern("serving energy metrics on http://127\\.0\\.0\\.1:\\d+/metrics");
        assertThat(CliRun.of("track", "--prometheus-port", "70000", "--out", out.toString(), "--", "true").exitCode())
                .isEqualTo(2);
    }

    @Test
    void aFailingCommandKeepsItsExitCodeAndStillGetsItsReport() throws Exception {
        CliRun run = CliRun.of("track", "--out", out.toString(), "--", "sh", "-c", "exit 3");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(Files.readAllLines(out.resolve(CsvSink.FILE_NAME))).hasSize(2);
        assertThat(run.out()).contains("(exit 3)");
    }

    @Test
    void aRunThatCannotBeRecordedStillPassesTheCommandsExitCodeThrough() throws Exception {
        Files.createDirectories(out);
        Path csv = out.resolve("emissions.csv");
        // the tracked command itself takes the CSV's place away: appending fails only at the end
        CliRun run = CliRun.of("track", "--country", "FR", "--out", out.toString(), "--", "sh", "-c",
                "mkdir '" + csv + "'; exit 5");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("verdant track: the run's energy could not be recorded: ");
        assertThat(run.out()).contains("(exit 5)");
    }

    @Test
    void aProjectNameThatIsAFormulaIsWrittenAsText() throws Exception {
        CliRun run = CliRun.of("track", "--country", "FR", "--project", "=cmd|' /C calc'!A0", "--out",
                out.toString(), "--", "true");
        assertThat(run.exitCode()).isZero();
        String row = Files.readAllLines(out.resolve("emissions.csv")).get(1);
        assertThat(row).contains(",'=cmd|' /C calc'!A0,").doesNotContain(",=cmd");
    }

    @Test
    void aStopSignalForVerdantAloneStopsTheCommandAndStillWritesItsRow() throws Exception {
        for (String[] signal : new String[][] {{"TERM", "143"}, {"HUP", "129"}}) {
            Path folder = Files.createDirectories(out.resolve(signal[0]));
            String marker = "31.7" + signal[1];   // a sleep no other process runs, to find it afterwards
            String output = SignalledCli.signalAfter("tracked command started", signal[0],
                    Integer.parseInt(signal[1]), "track", "--country", "FR", "--out", folder.toString(), "--", "sh",
                    "-c", "echo tracked command started; sleep " + marker + "; echo never");
            // the summary names the command ("... echo never (exit 143)"): only a line of its own is its output
            assertThat(output).as(signal[0]).contains("verdant: interrupted; stopped sh")
                    .doesNotContainPattern("(?m)^never$");
            assertThat(Files.readAllLines(folder.resolve("emissions.csv"))).as(signal[0]).hasSize(2);
            Thread.sleep(200);
            assertThat(ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                    .filter(c -> c.contains("sleep " + marker))).as(signal[0]).isEmpty();
        }
    }

    @Test
    void badInputIsOneLineAndExitTwoBeforeAnythingRuns() throws Exception {
        CliRun country = CliRun.of("track", "--country", "Narnia", "--out", out.toString(), "--", "true");
        assertThat(country.exitCode()).isEqualTo(2);
        assertThat(country.err().strip()).startsWith("verdant: unknown country or region 'Narnia'").doesNotContain("\n");

        CliRun pue = CliRun.of("track", "--pue", "-1", "--out", out.toString(), "--", "true");
        assertThat(pue.exitCode()).isEqualTo(2);
        assertThat(pue.err()).contains("pue must be at least 1.0");

        CliRun notANumber = CliRun.of("track", "--intensity", "lots", "--out", out.toString(), "--", "true");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("intensity must be a number, got 'lots'");

        CliRun missing = CliRun.of("track", "--out", out.toString(), "--", "no-such-command-verdant");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot run 'no-such-command-verdant'");

        Path file = Files.writeString(out.resolve("not-a-folder"), "x");
        CliRun unwritable = CliRun.of("track", "--out", file.toString(), "--", "true");
        assertThat(unwritable.exitCode()).isEqualTo(2);
        assertThat(unwritable.err()).contains("is a file, not a folder");

        assertThat(Files.exists(out.resolve(CsvSink.FILE_NAME))).isFalse(); // nothing half-written
        assertThat(country.err() + pue.err() + missing.err()).doesNotContain("Exception").doesNotContain("\tat ");
        CliRun interval = CliRun.of("track", "--interval-ms", "0", "--out", out.toString(), "--", "true");
        assertThat(interval.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(interval.err().strip()).contains("sample interval must lie between 10 ms and 1 h")
                .contains("--sample-interval-ms").doesNotContain("\n");
        assertThat(CliRun.of("track", "--help").out()).contains("--sample-interval-ms");   // the option it names exists
    }
}
