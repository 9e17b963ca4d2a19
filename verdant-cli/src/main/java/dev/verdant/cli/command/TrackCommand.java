package dev.verdant.cli.command;

import dev.verdant.cli.option.CarbonOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.jfr.JfrRecordingSink;
import dev.verdant.energy.otel.OtelEnergyMetrics;
import dev.verdant.energy.otel.OtlpExport;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.energy.sink.CsvSink;
import dev.verdant.energy.sink.JsonSink;
import dev.verdant.energy.sink.PrometheusSink;
import dev.verdant.energy.sink.PrometheusTextFile;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.report.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdant track}: runs a command, measures the energy of its whole process tree (RAPL/NVML where the
 * machine allows, an estimate otherwise, stated as such), appends a row to {@code emissions.csv} in CodeCarbon's
 * columns, writes the run's JSON beside it and passes the command's exit code through.
 */
@Command(
        name = "track",
        header = "Run a command and report the energy and CO2e of its process tree.",
        mixinStandardHelpOptions = true,
        description = "Run a command and report the energy and CO2e of its whole process tree: a summary table, a row "
                + "appended to DIR/emissions.csv (CodeCarbon's columns) and the run's JSON beside it. Put the command "
                + "after --. The exit code is the command's; 2 if Verdant could not start it or cannot write DIR.",
        footer = {"", "Settings not given here come from VERDANT_* variables, ./verdant.properties, "
                + "~/.verdant/verdant.properties, then defaults (see docs/energy.md).",
                "Example: verdant track --country FR -- python train.py"})
public final class TrackCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Mixin
    CarbonOptions carbon;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for emissions.csv and the run's JSON (default: the working folder).")
    Path outDir;

    @Option(names = "--project", paramLabel = "NAME", description = "Project name written to the CSV's project_name.")
    String project;

    @Option(names = {"--interval-ms", "--sample-interval-ms"}, paramLabel = "MS",
            description = "Sampling interval in milliseconds, 10 to 3,600,000 (default 1000).")
    String intervalMillis;

    @Option(names = "--prometheus-port", paramLabel = "PORT",
            description = "While the command runs, serve live energy metrics on http://127.0.0.1:PORT/metrics (0: any free port, printed on stderr).")
    Integer prometheusPort;

    @Option(names = "--prometheus-grace", paramLabel = "DURATION",
            description = "With --prometheus-port: keep serving the final figures this long after the command ends "
                    + "(e.g. 30s, 2m), so that a scrape every 15 s still catches a short job (default: stop at once).")
    String prometheusGrace;

    @Option(names = "--prometheus-textfile", paramLabel = "FILE.prom",
            description = "Write the run's final figures to FILE.prom in the Prometheus text format, for "
                    + "node_exporter's textfile collector: a short job is not lost between scrapes.")
    Path prometheusTextFile;

    @Option(names = "--jfr", paramLabel = "FILE.jfr",
            description = "Record Verdant's JFR events (dev.verdant.EnergySample at every sample, "
                    + "dev.verdant.TrackedTask for the run) to FILE.jfr, for JDK Mission Control or jfr print.")
    Path jfrFile;

    @Option(names = "--otlp",
            description = "Export energy metrics (hw.energy, hw.power, verdant.co2e) over OTLP/HTTP to the endpoint "
                    + "the standard variables name: OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318), "
                    + "OTEL_EXPORTER_OTLP_HEADERS, OTEL_METRIC_EXPORT_INTERVAL (default 10000 ms), OTEL_SERVICE_NAME.... "
                    + "An endpoint that fails is reported once; the command and the tracking go on.")
    boolean otlp;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command to run and its arguments, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = output.err();
        Map<String, String> arguments = carbon.arguments();
        CarbonOptions.put(arguments, "output-dir", outDir == null ? null : outDir.toString());
        CarbonOptions.put(arguments, "project", project);
        CarbonOptions.put(arguments, "sample-interval-ms", intervalMillis);
        EnergyConfig config = EnergyConfig.load(arguments, System.getenv(), Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("user.home")));
        Path folder = config.outputDir();
        CsvSink csv = new CsvSink(folder);
        JsonSink jsonSink = new JsonSink(folder);
        // Everything that can be wrong with the input fails here, before the command runs.
        csv.checkWritable();
        RunFiles.none().writing("--prometheus-textfile", prometheusTextFile).writing("--jfr", jfrFile).check();
        for (Path file : new Path[] {prometheusTextFile, jfrFile}) {
            if (file != null) { // written when the command ends: a folder that cannot take it fails now
                AtomicFiles.checkWritableFolder(file.toAbsolutePath().getParent());
            }
        }
        Tracker.Builder trackerBuilder = Tracker.builder().config(config).sink(csv).sink(jsonSink);
        if (prometheusPort != null && (prometheusPort < 0 || prometheusPort > 65_535)) {
            throw new IllegalArgumentException("--prometheus-port must lie between 0 and 65535, got " + prometheusPort);
        }
        Duration grace = prometheusGrace == null ? Duration.ZERO : DurationText.parse(prometheusGrace);
        if (prometheusGrace != null && prometheusPort == null) {
            throw new IllegalArgumentException("--prometheus-grace keeps the --prometheus-port endpoint up: give "
                    + "--prometheus-port too");
        }
        if (prometheusTextFile != null) {
            trackerBuilder.sink(new PrometheusTextFile(prometheusTextFile));
        }
        try (PrometheusSink prometheus = prometheusPort == null ? null : serve(prometheusPort);
             JfrRecordingSink jfr = jfrFile == null ? null : new JfrRecordingSink(jfrFile);
             OtlpExport export = otlp ? otlpExport(err) : null;
             OtelEnergyMetrics otel = export == null ? null : OtelEnergyMetrics.register(export.meterProvider())) {
            if (otel != null) {
                trackerBuilder.sink(otel);
            }
            if (prometheus != null) {
                trackerBuilder.sink(prometheus);
                err.println("verdant: serving energy metrics on http://127.0.0.1:" + prometheus.port() + "/metrics");
                err.flush();
            }
            if (jfr != null) {
                trackerBuilder.sink(jfr);
            }
            int exitCode = track(trackerBuilder.build(), csv, jsonSink, err);
            if (prometheus != null && grace.isPositive()) {
                err.println("verdant: serving the final figures for " + DurationText.format(grace)
                        + " more (--prometheus-grace)");
                err.flush();
                Thread.sleep(grace.toMillis());
            }
            return exitCode;
        }
    }

    /** The OTLP export the OTEL_* variables configure; a setting the SDK refuses is one line naming it. */
    private static OtlpExport otlpExport(PrintWriter err) {
        try {
            return OtlpExport.fromEnvironment(failure -> {
                synchronized (err) {
                    err.println("verdant track: " + failure);
                    err.flush();
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--otlp: " + e.getMessage(), e);
        }
    }

    /** The endpoint on loopback; a port already taken is one line naming it. */
    private static PrometheusSink serve(int port) {
        try {
            return PrometheusSink.serve("127.0.0.1", port);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("--prometheus-port " + port + ": cannot listen on 127.0.0.1:" + port
                    + " (" + (e.getCause() instanceof java.net.BindException ? "the port is already in use"
                    : e.getCause().getMessage()) + ")", e);
        }
    }

    private int track(Tracker tracker, CsvSink csv, JsonSink jsonSink, PrintWriter err)
            throws InterruptedException {

        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        boolean copyOutput = false;
        if (!output.json()) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        } else {
            copyOutput = !ChildProcesses.sendOutputToStderr(builder);
        }
        ChildGuard<TrackedRun> child = new ChildGuard<>();
        // Registered before the command starts: a stop signal at any moment either keeps it from starting or stops
        // it and writes its row.
        Thread keepReportOnStop = keepReportOnShutdown(commandName(), child, csv, err);
        int exitCode;
        EnergyReport report;
        try {
            ChildGuard.Started<TrackedRun> started =
                    child.start(builder, p -> tracker.startProcess(commandName(), p.toHandle()));
            Process process = started.process();
            try (TrackedRun run = started.attached()) {
                Thread copier = copyOutput ? copyToStderr(process.getInputStream(), err) : null;
                exitCode = waitUninterruptibly(process);
                if (copier != null) {
                    copier.join();
                }
                report = stopAndRecord(run, err);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(keepReportOnStop);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook is what writes the report now
            }
        }
        Path jsonFile = jsonSink.fileFor(report);
        Result result = TrackResult.of(report, command, exitCode, csv.file(), jsonFile)
                .withCommand("verdant " + String.join(" ", output.originalArgs()));
        output.print(result, text -> printSummary(text, report, exitCode, csv.file(), jsonFile));
        return exitCode;
    }

    /**
     * Stops the run and hands it to the sinks. A sink that cannot write (a full disk) is reported on its own line:
     * the tracked command's exit code still passes through, and the report is still printed.
     */
    private static EnergyReport stopAndRecord(TrackedRun run, PrintWriter err) {
        try {
            return run.stop();
        } catch (UncheckedIOException e) {
            err.println("verdant track: the run's energy could not be recorded: " + e.getMessage());
            err.flush();
            return run.stop();
        }
    }

    private String commandName() {
        String first = command.getFirst();
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /** The tracked command keeps running if this thread is interrupted; its exit code is what we wait for. */
    private static int waitUninterruptibly(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A stop signal for Verdant (Ctrl-C, which reaches the tracked command too; SIGTERM or SIGHUP from a service
     * manager or {@code kill PID}, which reach this JVM alone) would end the JVM before the report is written and
     * leave the command running untracked. A shutdown hook gives the command a moment to exit by itself, then stops
     * it and everything it started ({@link ChildProcesses}), and writes its report; the JVM then exits with 128 + the
     * signal's number, as a shell reports a process a signal ended. {@link TrackedRun#stop()} is idempotent, so
     * whichever of the hook and the main thread gets there first writes the report, once.
     */
    private static Thread keepReportOnShutdown(String name, ChildGuard<TrackedRun> child, CsvSink csv,
            PrintWriter err) {
        Thread hook = new Thread(() -> {
            ChildGuard.Started<TrackedRun> started = child.cancel();
            if (started == null) {
                err.println("verdant: interrupted; " + name + " did not start");
            } else {
                ChildProcesses.stop(started.process(), Duration.ofMillis(500), Duration.ofSeconds(5));
                stopAndRecord(started.attached(), err);
                err.println("verdant: interrupted; stopped " + name + " and appended the run's energy to "
                        + csv.file());
            }
            err.flush();
        }, "verdant-track-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * With --json where the system has no /dev/stderr: the command's stdout is copied to Verdant's stderr as bytes
     * (decoding them as text would replace whatever is not UTF-8).
     */
    private static Thread copyToStderr(InputStream in, PrintWriter err) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (err) {
                        err.flush();
                        System.err.write(buffer, 0, n);
                        System.err.flush();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "verdant-track-stdout");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void printSummary(PrintWriter out, EnergyReport report, int exitCode, Path csvFile, Path jsonFile) {
        out.printf(Locale.ROOT, "verdant track: %s (exit %d) in %.2f s%n", String.join(" ", command), exitCode,
                report.durationSeconds());
        if (report.belowResolution()) {
            // zero here means too short to register, not a measured nothing: no table of zeros
            out.printf(Locale.ROOT, "  %-10s %s: the command ran too briefly to measure%n", "energy",
                    report.totalEnergyText());
        } else {
            printTable(out, report);
        }
        out.printf(Locale.ROOT, "  method: %s (%s)%n", report.method().label(),
                report.trackingMode().equals("process") ? "the command's process tree" : "the whole machine");
        out.println("  assumptions:");
        for (String assumption : report.assumptions()) {
            out.println("    - " + assumption);
        }
        out.println("  wrote " + csvFile + " (row appended) and " + jsonFile);
    }

    private static void printTable(PrintWriter out, EnergyReport report) {
        out.printf(Locale.ROOT, "  %-10s %12s %12s %12s  %s%n", "component", "energy", "energy (Wh)", "avg power", "method");
        for (Component component : report.energy().keySet()) {
            out.printf(Locale.ROOT, "  %-10s %12s %12.4g %12s  %s%n", component.label(), report.energy(component),
                    report.energy(component).wattHours(), report.averagePower(component),
                    report.methods().get(component).label());
        }
        out.printf(Locale.ROOT, "  %-10s %12s %12.4g %12s  (IT energy x PUE %.2f)%n", "total", report.totalEnergy(),
                report.totalEnergy().wattHours(), "", report.pue());
        out.printf(Locale.ROOT, "  %-10s %12s  at %.0f gCO2e/kWh (%s: %s, %d)%n", "emissions", report.emissions(),
                report.grid().intensity().gramsPerKilowattHour(), report.grid().key(), report.grid().name(),
                report.grid().year());
    }
}
