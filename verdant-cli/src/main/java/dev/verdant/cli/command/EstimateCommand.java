package dev.verdant.cli.command;

import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.CarbonOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.Power;
import dev.verdant.energy.carbon.CarbonContext;
import dev.verdant.energy.carbon.TrainingFootprint;
import dev.verdant.energy.meter.AcceleratorPowerTable;
import dev.verdant.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verdant estimate}: the footprint of a training run from its hardware, as Patterson et al. 2021 compute
 * it: energy = hours x processors x average power per processor x PUE; CO2e = energy x grid intensity.
 */
@Command(
        name = "estimate",
        header = "Estimate a training run's energy and CO2e from its hardware.",
        mixinStandardHelpOptions = true,
        description = "Estimate a training run's energy and CO2e from its hardware (Patterson et al. 2021): "
                + "energy = hours x processors x power per processor x PUE; CO2e = energy x intensity. "
                + "Every input can be given; the rest come from Verdant's sourced tables.",
        footer = {"", "Example (GPT-3 in Patterson et al.): verdant estimate --processor V100 --count 10000 "
                + "--days 14.8 --power-watts 330 --pue 1.1 --intensity 429"})
public final class EstimateCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Option(names = "--processor", paramLabel = "NAME", description = "Accelerator (V100, A100, H100, T4, P100, TPUv2, TPUv3, TPUv4, ...).")
    String processor;

    @Option(names = "--count", paramLabel = "N", required = true, description = "Number of processors.")
    String count;

    @Option(names = "--days", paramLabel = "DAYS", description = "Training time in days.")
    String days;

    @Option(names = "--hours", paramLabel = "HOURS", description = "Training time in hours (instead of --days).")
    String hours;

    @Option(names = "--power-watts", paramLabel = "W", description = "Average power per processor in watts (default: the table's figure for --processor).")
    String powerWatts;

    @Mixin
    CarbonOptions carbon;

    @Option(names = "--offset-percent", paramLabel = "PCT", description = "Share of emissions covered by carbon-free energy or offsets, 0 to 100; adds net figures.")
    String offsetPercent;

    @Override
    public Integer call() {
        PrintWriter out = output.out();
        List<String> assumptions = new ArrayList<>();
        long processors = (long) positive("--count", count);
        if (processors != Double.parseDouble(count.strip())) {
            throw new IllegalArgumentException("--count must be a whole number, got '" + count + "'");
        }
        if ((days == null) == (hours == null)) {
            throw new IllegalArgumentException("give the training time with exactly one of --days or --hours");
        }
        double trainingHours = days != null ? positive("--days", days) * 24 : positive("--hours", hours);

        Power power;
        if (powerWatts != null) {
            power = Power.ofWatts(positive("--power-watts", powerWatts));
            assumptions.add(String.format(Locale.ROOT, "power per processor %.0f W given", power.watts()));
        } else if (processor == null) {
            throw new IllegalArgumentException("give --processor (one of " + tableNames() + ") or --power-watts");
        } else {
            AcceleratorPowerTable.AcceleratorPower row = AcceleratorPowerTable.builtIn().lookup(processor)
                    .orElseThrow(() -> new IllegalArgumentException("unknown processor '" + processor + "'; known: "
                            + tableNames() + "; or give --power-watts"));
            power = row.power();
            assumptions.add(String.format(Locale.ROOT, "power per processor %.0f W (%s of %s: %s, %d)", power.watts(),
                    row.figure().replace('_', ' '), row.processor(), row.source(), row.year()));
        }

        EnergyConfig config = EnergyConfig.load(carbon.arguments(), System.getenv(), Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("user.home")));
        CarbonContext carbon = CarbonContext.resolve(config);
        assumptions.addAll(carbon.assumptions());
        double offset = 0;
        if (offsetPercent != null) {
            offset = number("--offset-percent", offsetPercent);
            if (offset < 0 || offset > 100) {
                throw new IllegalArgumentException("--offset-percent must lie between 0 and 100, got " + offsetPercent);
            }
        }
        TrainingFootprint footprint = new TrainingFootprint(trainingHours, processors, power, carbon.pue(),
                carbon.grid().intensity(), offset / 100);
        assumptions.add("method: Patterson et al. 2021 (arXiv:2104.10350): energy = hours x processors x power x PUE;"
                + " CO2e = energy x grid intensity; host CPUs, memory and networking only as far as the power figure includes them");

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("processor", processor);
        result.put("count", processors);
        result.put("hours", trainingHours);
        result.put("power_watts", power.watts());
        result.put("pue", carbon.pue());
        result.put("intensity_g_per_kwh", carbon.grid().intensity().gramsPerKilowattHour());
        result.put("energy_mwh", footprint.energy().megawattHours());
        result.put("tco2e", footprint.grossEmissions().tonnes());
        if (offsetPercent != null) {
            result.put("offset_percent", offset);
            result.put("tco2e_net", footprint.netEmissions().tonnes());
        }
        result.put("method", "estimated");
        result.put("assumptions", assumptions);
        if (output.json()) {
            out.println(Json.write(result));
        } else {
            out.printf(Locale.ROOT, "verdant estimate: %d x %s for %.1f h%n", processors,
                    processor == null ? "processor" : processor, trainingHours);
            // units as verdant track prints them: the prefix that reads naturally (169 kWh, 17.4 kgCO2e, 552 tCO2e)
            out.printf(Locale.ROOT, "  energy   %s (%.0f W x PUE %.2f)%n", footprint.energy().inWattHours(),
                    power.watts(), carbon.pue());
            out.printf(Locale.ROOT, "  CO2e     %s gross at %.0f gCO2e/kWh%n", footprint.grossEmissions(),
                    carbon.grid().intensity().gramsPerKilowattHour());
            if (offsetPercent != null) {
                out.printf(Locale.ROOT, "           %s net (%.0f %% carbon-free or offset)%n",
                        footprint.netEmissions(), offset);
            }
            out.println("  method: estimated; assumptions:");
            for (String assumption : assumptions) {
                out.println("    - " + assumption);
            }
        }
        out.flush();
        return ExitCode.OK;
    }

    private static String tableNames() {
        return String.join(", ", AcceleratorPowerTable.builtIn().names());
    }

    private static double number(String option, String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + text + "'");
        }
    }

    private static double positive(String option, String text) {
        double value = number(option, text);
        if (!(value > 0)) {
            throw new IllegalArgumentException(option + " must be positive, got " + text);
        }
        return value;
    }
}
