package dev.verdant.energy.sink;

import dev.verdant.energy.EnergyReport;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes each run's report as a JSON file, {@code <run name>-<run id prefix>.json}, atomically. */
public final class JsonSink implements EnergySink {

    private final Path folder;

    public JsonSink(Path folder) {
        this.folder = folder;
    }

    /** The file a report goes to. */
    public Path fileFor(EnergyReport report) {
        String safe = report.name().replaceAll("[^A-Za-z0-9._-]+", "_");
        return folder.resolve(safe + "-" + report.runId().substring(0, 8) + ".json");
    }

    @Override
    public void onReport(EnergyReport report) {
        AtomicFiles.write(fileFor(report), (Json.write(EnergyReportJson.toMap(report)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
