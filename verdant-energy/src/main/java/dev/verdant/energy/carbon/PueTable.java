package dev.verdant.energy.carbon;

import dev.verdant.energy.FactTable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The power usage effectiveness the cloud providers publish, and the local default of 1.0. */
public final class PueTable {

    /**
     * One provider's figure.
     *
     * @param provider {@code local}, {@code aws}, {@code gcp} or {@code azure}
     * @param pue      facility energy over IT energy, at least 1
     * @param source   the publication
     * @param year     the year the figure describes
     */
    public record Pue(String provider, double pue, String source, int year) {
        public Pue {
            if (!(pue >= 1.0) || !Double.isFinite(pue)) {
                throw new IllegalArgumentException("PUE must be a number of at least 1.0, got " + pue);
            }
        }
    }

    private final Map<String, Pue> byProvider;

    private PueTable(Map<String, Pue> byProvider) {
        this.byProvider = Map.copyOf(byProvider);
    }

    public static PueTable builtIn() {
        Map<String, Pue> rows = new LinkedHashMap<>();
        for (Map<String, String> row : FactTable.load(PueTable.class, "pue.csv").rows()) {
            rows.put(row.get("provider"), new Pue(row.get("provider"), FactTable.number(row, "pue"), row.get("source"),
                    Integer.parseInt(row.get("year"))));
        }
        return new PueTable(rows);
    }

    /** The figure for a provider, if published. */
    public Optional<Pue> forProvider(String provider) {
        return Optional.ofNullable(byProvider.get(provider.toLowerCase(Locale.ROOT)));
    }

    /** The local-machine default (1.0). */
    public Pue local() {
        return byProvider.get("local");
    }
}
