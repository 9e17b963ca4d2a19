package dev.verdant.cli.command;

import dev.verdant.cli.option.ForecastOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Co2e;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.carbon.CarbonIntensityTable;
import dev.verdant.io.Json;
import dev.verdant.energy.schedule.BestWindowSearch;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.energy.schedule.EmbodiedEmissions;
import dev.verdant.energy.schedule.Forecast;
import dev.verdant.energy.schedule.ForecastException;
import dev.verdant.energy.schedule.ForecastQuery;
import dev.verdant.energy.schedule.ForecastSource;
import dev.verdant.energy.schedule.Schedule;
import dev.verdant.energy.schedule.ScheduleRequest;
import dev.verdant.energy.schedule.Sci;
import dev.verdant.energy.schedule.Window;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdant run}: waits for the greenest start in the next hours (with a countdown; Ctrl-C cancels cleanly),
 * runs a command, and reports its energy, emissions, emissions avoided against starting at once, and optionally
 * its Software Carbon Intensity. The command's exit code is passed through.
 */
@Command(
        name = "run",
        header = "Run a command when the grid is cleanest and report the emissions avoided.",
        mixinStandardHelpOptions = true,
        description = "Run a command, with --when-green at the start with the lowest forecast carbon intensity within "
                + "--within, and report its energy, its emissions, the emissions avoided against starting now and, "
                + "with --sci-unit, its Software Carbon Intensity SCI = (E x I + M) per R. Put the command after "
                + "--. The exit code is the command's; 2 if Verdant could not start it.")
public final class RunCommand implements Callable<Integer> {

    /** Sleeps; tests pass one that advances a fake clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    @Mixin
    OutputOptions output;

    @Option(names = "--when-green", description = "Wait for the greenest start within --within before running.")
    boolean whenGreen;

    @Option(names = "--within", paramLabel = "DURATION", description = "With --when-green: the command must start and finish within this time from now, e.g. 8h.")
    String within;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long the command is expected to run, to choose its window (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The grid region (zone) this machine draws from; the forecast's intensity there prices the run.")
    String region;

    @Option(names = "--fallback", paramLabel = "now",
            description = "What to do when no forecast can be had (provider error or timeout, unknown region, a forecast too short): 'now' runs at once.")
    String fallback;

    @Option(names = "--sci-unit", paramLabel = "R",
            description = "Report SCI per functional unit: how many units the run delivers (e.g. 1000 inferences).")
    Double sciUnits;

    @Option(names = "--sci-unit-name", paramLabel = "NAME", defaultValue = "run", description = "What one functional unit is, e.g. inference (default ${DEFAULT-VALUE}).")
    String sciUnitName;

    @Option(names = "--hardware", paramLabel = "NAME", defaultValue = "rack-server",
            description = "Embodied emissions figure for SCI's M: rack-server (763.23 kgCO2e over 4 years) or none (default ${DEFAULT-VALUE}).")
    String hardware;

    @Option(names = "--resource-share", paramLabel = "FRACTION", defaultValue = "1",
            description = "The share of the machine the command reserves, for SCI's M (default ${DEFAULT-VALUE}).")
    double resourceShare;

    @Mixin
    ForecastOptions forecastOptions;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Thread::sleep;
    Map<String, String> environment = System.getenv();
    /** Whether stderr is a terminal, so the countdown rewrites one line instead of printing a line now and then. */
    boolean interactive = System.console() != null;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = output.err();
        Duration job = DurationText.parse(duration);
        validate();
        EmbodiedEmissions embodied = EmbodiedEmissions.byName(hardware);
        Instant decidedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        Forecast forecast = null;
        Schedule schedule = null;
        String fallbackReason = null;
        if (region != null && forecastOptions.given()) {
            try (ForecastSource source = forecastOptions.open(environment)) {
                if (whenGreen) {
                    ScheduleRequest request = ScheduleCommand.request(duration, within, decidedAt.toString(), List.of(region), clock);
                    forecast = source.forecast(request.query(region));
                    schedule = BestWindowSearch.search(request, List.of(forecast));
                } else {
                    forecast = source.forecast(new ForecastQuery(region, decidedAt, decidedAt.plus(job), job));
                }
            } catch (ForecastException e) {
                if (!"now".equals(fallback)) {
                    throw e;
                }
                fallbackReason = e.getMessage();
                forecast = null;
                err.println("verdant: no usable forecast (" + e.getMessage() + "); running now (--fallback now)");
            }
        } else if (whenGreen) {
            throw new IllegalArgumentException("--when-green needs --region and a forecast (--forecast FILE or --provider NAME)");
        }

        ChildGuard<TrackedRun> child = new ChildGuard<>();
        Thread cancelHook = new Thread(() -> onCancel(err, child.cancel()), "verdant-run-cancel");
        Runtime.getRuntime().addShutdownHook(cancelHook);
        try {
            if (schedule != null) {
                Window best = schedule.best();
                err.printf(Locale.ROOT, "verdant: greenest %s start in %s within %s: %s, %.1f gCO2e/kWh vs %.1f now (%.1f%% lower)%n",
                        DurationText.format(job), region, within, best.start(), best.averageIntensity().gramsPerKilowattHour(),
                        schedule.runNow().averageIntensity().gramsPerKilowattHour(), schedule.savingPercent());
                waitUntil(best.start(), err);
            }
            ProcessRun run = runCommand(child, err);
            report(run, forecast, schedule, decidedAt, embodied, fallbackReason, err);
            return run.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + command.getFirst(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancelHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting (Ctrl-C): the hook is running and says what happened.
            }
        }
    }

    private void validate() {
        if (whenGreen && within == null) {
            throw new IllegalArgumentException("--when-green needs --within, e.g. --within 8h");
        }
        if (!whenGreen && within != null) {
            throw new IllegalArgumentException("--within only applies with --when-green");
        }
        if (fallback != null && !fallback.equals("now")) {
            throw new IllegalArgumentException("--fallback accepts only 'now', got '" + fallback + "'");
        }
        if (region == null && forecastOptions.given()) {
            throw new IllegalArgumentException("a forecast needs --region: the grid region this machine draws from");
        }
        if (region != null && region.contains(",")) {
            throw new IllegalArgumentException("run executes on this machine: give the one --region it draws from, not " + region);
        }
        if (sciUnits != null && !(sciUnits > 0 && Double.isFinite(sciUnits))) {
            throw new IllegalArgumentException("--sci-unit must be a positive number, got " + sciUnits);
        }
        if (!(resourceShare > 0 && resourceShare <= 1)) {
            throw new IllegalArgumentException("--resource-share must be in (0, 1], got " + resourceShare);
        }
    }

    /** Sleeps until {@code start}, showing the time left on stderr. */
    private void waitUntil(Instant start, PrintWriter err) throws InterruptedException {
        Duration left = Duration.between(clock.instant(), start);
        Instant lastLine = null;
        while (left.compareTo(Duration.ZERO) > 0) {
            Instant now = clock.instant();
            String line = String.format(Locale.ROOT, "waiting for the green window: %s starts at %s, in %s (Ctrl-C cancels)",
                    command.getFirst(), start, clockFormat(left));
            if (interactive) {
                err.print("\r" + line);
                err.flush();
            } else if (lastLine == null || Duration.between(lastLine, now).compareTo(Duration.ofMinutes(15)) >= 0) {
                err.println(line);
                err.flush();
                lastLine = now;
            }
            sleeper.sleep(left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
            left = Duration.between(clock.instant(), start);
        }
        if (interactive) {
            err.println();
            err.flush();
        }
    }

    private static String clockFormat(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60);
    }

    private void onCancel(PrintWriter err, ChildGuard.Started<TrackedRun> started) {
        Process process = started == null ? null : started.process();
        if (process == null) {
            err.println();
            err.println("verdant: cancelled; " + command.getFirst() + " did not run");
        } else if (process.isAlive()) {
            err.println();
            err.println("verdant: interrupted; stopping " + command.getFirst());
            ChildProcesses.stop(process, Duration.ZERO, Duration.ofSeconds(5));
        }
        err.flush();
    }

    /** What running the command gave: when, its exit code and the energy tracker's report. */
    record ProcessRun(Instant start, Instant end, int exitCode, EnergyReport energy) {
        Duration duration() {
            return Duration.between(start, end);
        }

        /** Facility energy (IT energy times PUE), the E of emissions and SCI. */
        double energyKwh() {
            return energy.totalEnergy().kilowattHours();
        }
    }

    private ProcessRun runCommand(ChildGuard<TrackedRun> child, PrintWriter err) throws IOException, InterruptedException {
        // Built before the command starts, so a bad energy configuration fails before any work runs.
        Tracker tracker = Tracker.builder().config(energyConfig()).build();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (output.json()) {
            ChildProcesses.sendOutputToStderr(builder);
        }
        Instant start = clock.instant();
        ChildGuard.Started<TrackedRun> started =
                child.start(builder, p -> tracker.startProcess(command.getFirst(), p.toHandle()));
        if (whenGreen) {
            err.println("verdant: started " + String.join(" ", command));
            err.flush();
        }
        Process process = started.process();
        try (TrackedRun tracked = started.attached()) {
            int exitCode = process.waitFor();
            EnergyReport report = tracked.stop();
            return new ProcessRun(start, clock.instant(), exitCode, report);
        }
    }

    /**
     * The layered energy configuration, located at {@code --region} when the user configured no location and the
     * intensity tables know the region: the annual average it gives is what prices a run that has no forecast.
     */
    private EnergyConfig energyConfig() {
        EnergyConfig config = EnergyConfig.fromEnvironment();
        boolean located = config.region() != null || config.country() != null || config.intensityOverride() != null;
        if (!located && region != null && CarbonIntensityTable.builtIn().find(region).isPresent()) {
            return config.toBuilder().region(region).build();
        }
        return config;
    }

    private void report(ProcessRun run, Forecast forecast, Schedule schedule, Instant decidedAt, EmbodiedEmissions embodied,
            String fallbackReason, PrintWriter err) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command);
        r.put("exit_code", run.exitCode());
        r.put("region", region);
        r.put("decided_at", decidedAt.toString());
        r.put("planned_start", schedule != null ? schedule.best().start().toString() : null);
        r.put("start", run.start().toString());
        r.put("end", run.end().toString());
        r.put("duration_seconds", run.duration().toMillis() / 1000.0);
        r.put("energy_kwh", run.energyKwh());
        r.put("it_energy_kwh", run.energy().itEnergy().kilowattHours());
        r.put("pue", run.energy().pue());
        r.put("energy_method", run.energy().method().label());
        r.put("energy_tracking", run.energy().trackingMode());
        Double intensity = null;
        Double nowIntensity = null;
        String intensityBasis = null;
        if (forecast != null) {
            Duration lasted = run.duration().isZero() ? Duration.ofMillis(1) : run.duration();
            Instant from = run.start().truncatedTo(ChronoUnit.MILLIS);
            if (forecast.covers(from, from.plus(lasted)) && forecast.covers(decidedAt, decidedAt.plus(lasted))) {
                intensity = forecast.averageIntensity(from, from.plus(lasted)).gramsPerKilowattHour();
                nowIntensity = forecast.averageIntensity(decidedAt, decidedAt.plus(lasted)).gramsPerKilowattHour();
                intensityBasis = "forecast over the actual run";
            } else if (schedule != null) {
                intensity = schedule.best().averageIntensity().gramsPerKilowattHour();
                nowIntensity = schedule.runNow().averageIntensity().gramsPerKilowattHour();
                intensityBasis = "forecast over the planned window (the run outlasted the forecast)";
            }
        }
        if (intensity == null) {
            // No forecast for the run: the tracker's annual average for the configured location; nothing was shifted.
            intensity = run.energy().grid().intensity().gramsPerKilowattHour();
            nowIntensity = intensity;
            intensityBasis = "no forecast; " + run.energy().grid().describe();
        }
        r.put("intensity_g_per_kwh", intensity);
        r.put("intensity_basis", intensityBasis);
        double emissions = run.energyKwh() * intensity;
        double avoided = run.energyKwh() * (nowIntensity - intensity);
        r.put("emissions_g", emissions);
        r.put("now_intensity_g_per_kwh", nowIntensity);
        r.put("avoided_emissions_g", avoided);
        r.put("fallback_reason", fallbackReason);
        Sci sci = null;
        if (sciUnits != null) {
            Co2e m = embodied.shareFor(run.duration(), resourceShare);
            sci = new Sci(run.energy().totalEnergy(), CarbonIntensity.ofGramsPerKilowattHour(intensity), m, sciUnits,
                    sciUnitName);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("grams_per_unit", sci.perUnit().grams());
            s.put("unit", sciUnitName);
            s.put("functional_units", sciUnits);
            s.put("operational_g", sci.operational().grams());
            s.put("embodied_g", m.grams());
            s.put("hardware", embodied.name());
            s.put("hardware_source", embodied.source());
            s.put("resource_share", resourceShare);
            r.put("sci", s);
        }

        err.printf(Locale.ROOT, "verdant: %s exited with %d after %s%n", command.getFirst(), run.exitCode(), DurationText.format(run.duration()));
        EnergyReport energy = run.energy();
        err.printf(Locale.ROOT, "verdant: energy %s (%s, %s scope%s)%n", energy.totalEnergyText(),
                energy.method().label(), energy.trackingMode(), energy.belowResolution() ? ""
                        : String.format(Locale.ROOT, "; IT %s x PUE %.2f", energy.itEnergy(), energy.pue()));
        err.printf(Locale.ROOT, "verdant: grid%s %.1f gCO2e/kWh (%s), %.1f if started at %s%n",
                region == null ? "" : " " + region, intensity, intensityBasis, nowIntensity, decidedAt);
        err.printf(Locale.ROOT, "verdant: emissions %s; avoided %s against starting at once%n",
                Co2e.ofGrams(emissions), avoided < 0 ? "-" + Co2e.ofGrams(-avoided) : Co2e.ofGrams(avoided));
        if (sci != null) {
            err.printf(Locale.ROOT, "verdant: SCI %s per %s (E x I %s + M %s [%s, share %s], R = %s)%n",
                    sci.perUnit(), sciUnitName, sci.operational(), sci.embodied(), embodied.name(), resourceShare, sciUnits);
        }
        err.flush();
        if (output.json()) {
            PrintWriter out = output.out();
            out.println(Json.write(r));
            out.flush();
        }
    }
}
