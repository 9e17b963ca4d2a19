package dev.verdant.energy.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Method;
import dev.verdant.energy.carbon.CarbonIntensityTable;
import dev.verdant.io.CsvReader;
import dev.verdant.io.Json;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {

    private static final CsvReader CSV = CsvReader.commaSeparated();

    @TempDir
    Path dir;

    /** A run of 10 s: 36 kJ CPU (10 Wh) measured, 3.6 kJ RAM (1 Wh) measured, in France, PUE 1.2. */
    static EnergyReport report(String name) {
        return new EnergyReport(name, "proj", UUID.randomUUID().toString(), Instant.parse("2025-01-02T03:04:05Z"),
                Duration.ofSeconds(10), Map.of(Component.CPU, Energy.ofJoules(36_000), Component.RAM, Energy.ofJoules(3_600)),
                Map.of(Component.CPU, Method.MEASURED, Component.RAM, Method.MEASURED),
                Map.of(Component.CPU, "1 µJ of the RAPL counter", Component.RAM, "1 µJ of the RAPL counter"), 1.2,
                CarbonIntensityTable.builtIn().resolve("aws:eu-west-3"),
                new EnergyReport.Hardware("Intel Xeon, with comma", 8, 0, "", 64.0), "machine",
                List.of("an assumption"), List.of());
    }

    @Test
    void aRunTooShortToRegisterSaysSoInsteadOfZeroJoules() throws Exception {
        EnergyReport measured = report("long");
        assertThat(measured.belowResolution()).isFalse();
        assertThat(measured.totalEnergyText()).isEqualTo(measured.totalEnergy().toString());

        EnergyReport brief = new EnergyReport("true", "proj", UUID.randomUUID().toString(), Instant.now(),
                Duration.ofMillis(3), Map.of(Component.CPU, Energy.ZERO, Component.RAM, Energy.ZERO),
                Map.of(Component.CPU, Method.ESTIMATED, Component.RAM, Method.ESTIMATED),
                Map.of(Component.CPU, "one 10 ms CPU tick", Component.RAM, "one 10 ms CPU tick"), 1.0,
                CarbonIntensityTable.builtIn().resolve("FR"), measured.hardware(), "process", List.of(), List.of());
        assertThat(brief.belowResolution()).isTrue();
        assertThat(brief.totalEnergyText()).isEqualTo("below the meter's resolution (one 10 ms CPU tick)");
        JsonNode json = new ObjectMapper().readTree(Json.write(EnergyReportJson.toMap(brief)));
        assertThat(json.get("below_resolution").asBoolean()).isTrue();
        assertThat(json.get("components").get("cpu").get("resolution").asText()).isEqualTo("one 10 ms CPU tick");
    }

    @Test
    void theRunsJsonGetsTheModeTheCsvAndAnyNewFileGet() throws Exception {
        EnergyReport report = report("perms");
        new CsvSink(dir).onReport(report);
        JsonSink json = new JsonSink(dir);
        json.onReport(report);
        String csvMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(CsvSink.FILE_NAME)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(json.fileFor(report))))
                .isEqualTo(csvMode)
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")))))
                .isNotEqualTo("rw-------");

        Files.setPosixFilePermissions(json.fileFor(report), PosixFilePermissions.fromString("rw-r-----"));
        json.onReport(report);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(json.fileFor(report))))
                .as("a replaced file keeps its mode").isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void theCsvHeaderIsCodeCarbonsAndValuesUseItsUnits() throws Exception {
        CsvSink csv = new CsvSink(dir);
        csv.onReport(report("a"));
        List<String> lines = Files.readAllLines(csv.file());
        assertThat(lines.get(0)).isEqualTo(
                "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_utilization_percent,"
                        + "ram_utilization_percent,ram_used_gb,cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,"
                        + "ram_energy,energy_consumed,water_consumed,country_name,country_iso_code,region,cloud_provider,"
                        + "cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,"
                        + "longitude,latitude,ram_total_size,tracking_mode,on_cloud,pue,wue");
        List<String> header = CSV.fields(lines.get(0));
        List<String> row = CSV.fields(lines.get(1));
        assertThat(row).hasSameSizeAs(header);
        var value = (java.util.function.Function<String, String>) column -> row.get(header.indexOf(column));
        assertThat(Double.parseDouble(value.apply("duration"))).isEqualTo(10.0);
        assertThat(Double.parseDouble(value.apply("cpu_energy"))).isEqualTo(0.01);       // kWh
        assertThat(Double.parseDouble(value.apply("cpu_power"))).isEqualTo(3_600.0);     // W
        assertThat(Double.parseDouble(value.apply("energy_consumed"))).isEqualTo(0.011 * 1.2, org.assertj.core.api.Assertions.within(1e-15));
        double kg = Double.parseDouble(value.apply("emissions"));
        assertThat(kg).isEqualTo(0.0132 * 56 / 1000, org.assertj.core.api.Assertions.within(1e-12)); // kg
        assertThat(Double.parseDouble(value.apply("emissions_rate"))).isEqualTo(kg / 10, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(value.apply("country_iso_code")).isEqualTo("FRA");
        assertThat(value.apply("cloud_provider")).isEqualTo("aws");
        assertThat(value.apply("cloud_region")).isEqualTo("eu-west-3");
        assertThat(value.apply("on_cloud")).isEqualTo("Y");
        assertThat(value.apply("cpu_model")).isEqualTo("Intel Xeon, with comma");
        assertThat(value.apply("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void concurrentWritersWriteTheHeaderOnceAndEveryRowWhole() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "run" + i;
            futures.add(pool.submit(() -> new CsvSink(dir).onReport(report(name))));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        List<String> lines = Files.readAllLines(dir.resolve(CsvSink.FILE_NAME));
        assertThat(lines).hasSize(17);
        assertThat(lines.stream().filter(l -> l.startsWith("timestamp,"))).hasSize(1);
        assertThat(lines.subList(1, 17)).allSatisfy(l -> assertThat(CSV.fields(l)).hasSize(37));
    }

    /** CodeCarbon users met a stale lock file blocking every later run; an OS lock dies with its holder. */
    @Test
    void aLockLeftByAWriterThatDiedDoesNotBlockTheNextRun() throws Exception {
        Files.writeString(dir.resolve(".codecarbon.lock"), "12345");
        try (FileChannel channel = FileChannel.open(dir.resolve(CsvSink.FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.lock(); // the "crashed" writer; closing the channel is what process death does
        }
        new CsvSink(dir).onReport(report("after"));
        assertThat(Files.readAllLines(dir.resolve(CsvSink.FILE_NAME))).hasSize(2);
    }

    @Test
    void aForeignCsvOrAnUnwritableFolderIsRefusedBeforeWork() throws Exception {
        Files.writeString(dir.resolve(CsvSink.FILE_NAME), "a,b,c\n1,2,3\n");
        assertThatThrownBy(() -> new CsvSink(dir).checkWritable()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("other columns than CodeCarbon's");
        assertThat(Files.readString(dir.resolve(CsvSink.FILE_NAME))).isEqualTo("a,b,c\n1,2,3\n");
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> new CsvSink(notAFolder).checkWritable()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("is a file, not a folder");
    }

    @Test
    void theJsonFileCarriesEnergyEmissionsMethodAndAssumptions() throws Exception {
        EnergyReport report = report("json run");
        JsonSink json = new JsonSink(dir);
        json.onReport(report);
        JsonNode node = new ObjectMapper().readTree(json.fileFor(report).toFile());
        assertThat(json.fileFor(report).getFileName().toString()).startsWith("json_run-");
        assertThat(node.get("method").asText()).isEqualTo("measured");
        assertThat(node.get("components").get("cpu").get("energy_kwh").asDouble()).isEqualTo(0.01);
        assertThat(node.get("energy_kwh").asDouble()).isEqualTo(report.totalEnergy().kilowattHours());
        assertThat(node.get("co2e_kg").asDouble()).isEqualTo(report.emissions().kilograms());
        assertThat(node.get("carbon_intensity").get("source").asText()).contains("Ember");
        assertThat(node.get("assumptions").get(0).asText()).isEqualTo("an assumption");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void theLogLineNamesEveryComponentAndItsMethod() {
        List<String> lines = new ArrayList<>();
        new LogSink(lines::add).onReport(report("log"));
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .startsWith("log: 10.0 s, 13.20 Wh (cpu 10.00 Wh measured, ram 1.000 Wh measured), PUE 1.20")
                .contains("gCO2e at 56 g/kWh (aws:eu-west-3)"));
    }
}
