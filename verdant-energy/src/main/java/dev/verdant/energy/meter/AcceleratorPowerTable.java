package dev.verdant.energy.meter;

import dev.verdant.energy.FactTable;
import dev.verdant.energy.Power;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Power figures per accelerator (GPUs, TPUs) for footprint estimates, from vendor datasheets and Patterson et al.
 * 2021 ({@code accelerator-power.csv}); each says whether it is a maximum (TDP) or a measured average.
 */
public final class AcceleratorPowerTable {

    /**
     * One accelerator's figure.
     *
     * @param processor the name as users type it, upper case ({@code V100}, {@code TPUV3})
     * @param power     the power per processor
     * @param figure    {@code tdp} or {@code measured_average}
     * @param source    the datasheet or paper
     * @param year      the year of publication
     */
    public record AcceleratorPower(String processor, Power power, String figure, String source, int year) {
    }

    private final Map<String, AcceleratorPower> rows;

    private AcceleratorPowerTable(Map<String, AcceleratorPower> rows) {
        this.rows = rows;
    }

    public static AcceleratorPowerTable builtIn() {
        Map<String, AcceleratorPower> rows = new LinkedHashMap<>();
        for (Map<String, String> row : FactTable.load(AcceleratorPowerTable.class, "accelerator-power.csv").rows()) {
            rows.put(row.get("processor"), new AcceleratorPower(row.get("processor"),
                    Power.ofWatts(FactTable.number(row, "power_watts")), row.get("figure"), row.get("source"),
                    Integer.parseInt(row.get("year"))));
        }
        return new AcceleratorPowerTable(Map.copyOf(rows));
    }

    /** The figure for a name such as {@code v100}, {@code A100-PCIe} or {@code TPU v3}. */
    public Optional<AcceleratorPower> lookup(String processor) {
        String key = processor.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s_]+", "").replace("NVIDIA", "")
                .replace("TESLA", "");
        return Optional.ofNullable(rows.get(key));
    }

    /** Every processor name known, for messages. */
    public List<String> names() {
        return rows.keySet().stream().sorted().toList();
    }
}
