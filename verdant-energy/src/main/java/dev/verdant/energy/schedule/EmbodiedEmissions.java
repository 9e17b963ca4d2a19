package dev.verdant.energy.schedule;

import dev.verdant.energy.Co2e;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The embodied emissions of a piece of hardware (manufacture, transport, disposal) and the lifetime they are
 * spread over, so a job can be charged its share: per the Green Software Foundation's SCI specification,
 * M = TE x (TR / EL) x (RR / ToR), with TE the total embodied emissions, TR the time the job reserves the hardware,
 * EL the expected lifespan and RR / ToR the share of the hardware's resources the job reserves.
 *
 * @param total TE, the emissions of the whole device
 * @param lifetime EL, the expected lifespan
 * @param source where the figure comes from, for reports
 */
public record EmbodiedEmissions(String name, Co2e total, Duration lifetime, String source) {

    /** One year for lifetimes: 365.25 days, so four years hold one leap day. */
    public static final Duration YEAR = Duration.ofSeconds(365L * 86_400 + 6 * 3_600);

    /**
     * A rack server, 763.23 kgCO2e over 4 years: the Boavizta bottom-up estimate for a 64-vCPU Graviton2 rack server
     * (AWS c6gd.metal: 128 GB RAM, 2 x 1.9 TB SSD, 2 PSUs) in Tailpipe's worked example
     * (https://tailpipe.ai/methodology/embodied-emissions-methodology-example); the 4-year lifespan is Cloud Carbon
     * Footprint's and Teads', from the Dell PowerEdge R740 life-cycle assessment
     * (https://www.cloudcarbonfootprint.org/docs/embodied-emissions). About 21.8 gCO2e per hour.
     */
    public static final EmbodiedEmissions RACK_SERVER = new EmbodiedEmissions("rack-server", Co2e.ofKilograms(763.23), YEAR.multipliedBy(4),
            "Boavizta estimate for an AWS c6gd.metal rack server (Tailpipe worked example), 4-year lifespan as in Cloud Carbon Footprint");

    /** No embodied share: for an SCI of operational emissions only. */
    public static final EmbodiedEmissions NONE = new EmbodiedEmissions("none", Co2e.ZERO, YEAR, "none: operational emissions only");

    /** The figures Verdant knows by name. */
    public static final List<EmbodiedEmissions> KNOWN = List.of(RACK_SERVER, NONE);

    public EmbodiedEmissions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(source, "source");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the lifetime must be positive");
        }
    }

    /** The known figure called {@code name}; the message lists them if there is none. */
    public static EmbodiedEmissions byName(String name) {
        for (EmbodiedEmissions e : KNOWN) {
            if (e.name.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown hardware '" + name + "'; expected one of "
                + KNOWN.stream().map(EmbodiedEmissions::name).collect(Collectors.joining(", ")));
    }

    /** TE / EL: the emissions of one hour of the whole device. */
    public Co2e perHour() {
        return Co2e.ofGrams(total.grams() / (lifetime.toMillis() / 3_600_000.0));
    }

    /** M for a job that reserves {@code resourceShare} (RR / ToR, in (0, 1]) of the device for {@code reserved}. */
    public Co2e shareFor(Duration reserved, double resourceShare) {
        if (!(resourceShare > 0 && resourceShare <= 1)) {
            throw new IllegalArgumentException("the resource share must be in (0, 1], got " + resourceShare);
        }
        return Co2e.ofGrams(total.grams() * ((double) reserved.toMillis() / lifetime.toMillis()) * resourceShare);
    }
}
