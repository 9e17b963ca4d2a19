package dev.verdant.energy.sink;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of an {@link EnergyReport} the JSON sink writes: explicit field names with their units
 * ({@code energy_kwh}, {@code co2e_kg}), snake_case like CodeCarbon's JSON. ({@code verdant track --json} prints the
 * run as a result of kind {@code track} instead; see {@code docs/report-format.md}.)
 */
public final class EnergyReportJson {

    private EnergyReportJson() {
    }

    /** The report as ordered maps and lists, ready for Jackson or for embedding in a larger result. */
    public static Map<String, Object> toMap(EnergyReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", report.name());
        json.put("project", report.project());
        json.put("run_id", report.runId());
        json.put("started_at", report.startedAt().toString());
        json.put("duration_s", report.durationSeconds());
        json.put("method", report.method().label());
        json.put("tracking_mode", report.trackingMode());
        Map<String, Object> components = new LinkedHashMap<>();
        for (Component component : report.energy().keySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("energy_j", report.energy(component).joules());
            c.put("energy_kwh", report.energy(component).kilowattHours());
            c.put("average_power_w", report.averagePower(component).watts());
            c.put("method", report.methods().get(component).label());
            c.put("resolution", report.resolutions().get(component));
            components.put(component.label(), c);
        }
        json.put("components", components);
        json.put("it_energy_kwh", report.itEnergy().kilowattHours());
        json.put("pue", report.pue());
        json.put("energy_kwh", report.totalEnergy().kilowattHours());
        json.put("energy_j", report.totalEnergy().joules());
        json.put("below_resolution", report.belowResolution());
        json.put("co2e_kg", report.emissions().kilograms());
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("key", report.grid().key());
        grid.put("name", report.grid().name());
        grid.put("country_iso3", report.grid().countryIso3());
        grid.put("intensity_g_per_kwh", report.grid().intensity().gramsPerKilowattHour());
        grid.put("source", report.grid().source());
        grid.put("year", report.grid().year());
        json.put("carbon_intensity", grid);
        Map<String, Object> hardware = new LinkedHashMap<>();
        hardware.put("cpu_model", report.hardware().cpuModel());
        hardware.put("cpu_count", report.hardware().cpuCount());
        hardware.put("gpu_count", report.hardware().gpuCount());
        hardware.put("gpu_model", report.hardware().gpuModel());
        hardware.put("ram_total_gb", report.hardware().ramTotalGigabytes());
        json.put("hardware", hardware);
        json.put("assumptions", report.assumptions());
        List<Object> tasks = new ArrayList<>();
        for (EnergyReport task : report.tasks()) {
            tasks.add(toMap(task));
        }
        json.put("tasks", tasks);
        return json;
    }
}
