package dev.verdant.energy.sink;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends one row per run to {@code emissions.csv} in CodeCarbon's columns, order and units (seconds, kg, kg/s,
 * W, kWh, GB), so dashboards built for CodeCarbon read it. The header is written once, when the file is new.
 *
 * <p>Concurrent writers (two tracked runs, two processes) are serialised with an operating-system lock on the
 * file itself, which the kernel releases when a process dies: there is no lock file to go stale. Each row is
 * one append of one line, whole or not at all. Text fields that a spreadsheet would run as a formula (starting with
 * {@code = + - @} or a tab; line breaks are folded to spaces first) are written with a leading apostrophe, as OWASP advises against CSV
 * injection: {@code --project '=HYPERLINK(...)'} reads as text.
 */
public final class CsvSink implements EnergySink {

    /** The file name CodeCarbon uses. */
    public static final String FILE_NAME = "emissions.csv";

    /**
     * CodeCarbon's {@code EmissionsData} fields in declaration order, which is its CSV column order: source
     * {@code codecarbon/output_methods/emissions_data.py} in mlco2/codecarbon (3.x, commit 0999d9c).
     */
    public static final List<String> CODECARBON_COLUMNS = List.of(
            "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
            "cpu_utilization_percent", "ram_utilization_percent", "ram_used_gb",
            "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
            "water_consumed", "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os",
            "python_version", "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude",
            "latitude", "ram_total_size", "tracking_mode", "on_cloud", "pue", "wue");

    private static final String HEADER = String.join(",", CODECARBON_COLUMNS);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Path file;
    private final String experimentId;

    /** Appends to {@code emissions.csv} in {@code folder}. */
    public CsvSink(Path folder) {
        this(folder, "");
    }

    /** Appends to {@code emissions.csv} in {@code folder}, filling CodeCarbon's {@code experiment_id}. */
    public CsvSink(Path folder, String experimentId) {
        this.file = folder.resolve(FILE_NAME);
        this.experimentId = experimentId == null ? "" : experimentId;
    }

    public Path file() {
        return file;
    }

    /**
     * Checks, before any work runs, that the folder is writable and an existing file has CodeCarbon's header, so
     * a bad output folder fails fast instead of after an hour of training.
     *
     * @throws UncheckedIOException naming the folder or the file and what is wrong
     */
    public void checkWritable() {
        AtomicFiles.checkWritableFolder(file.getParent() == null ? Path.of(".") : file.getParent());
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) {
                throw new UncheckedIOException(new IOException("cannot append to " + file + ": not writable"));
            }
            String first = firstLine(file);
            if (first != null && !first.equals(HEADER)) {
                throw new UncheckedIOException(new IOException(file + " exists with other columns than CodeCarbon's;"
                        + " move it away or choose another --out folder"));
            }
        }
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(String::strip).orElse(null);
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void onReport(EnergyReport report) {
        checkWritable();
        byte[] row = (String.join(",", values(report)) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            FileLock lock = lockPatiently(channel);
            try {
                appendWhole(channel, row);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends the row (after the header when the file is empty; decided under the lock, so exactly one writer
     * writes it) in one buffer, and on failure (a full disk) truncates the file back to its length before, so a
     * row lands whole or not at all and the next run's row never merges with a fragment.
     */
    static void appendWhole(FileChannel channel, byte[] row) throws IOException {
        long before = channel.size();
        byte[] header = before == 0 ? (HEADER + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
        ByteBuffer buffer = ByteBuffer.allocate(header.length + row.length).put(header).put(row).flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException truncating) {
                e.addSuppressed(truncating);
            }
            throw e;
        }
    }

    /** Waits for the OS lock; a second writer in this same JVM shows up as an overlapping lock and waits too. */
    private FileLock lockPatiently(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("another writer in this JVM held " + file + " for 30 s", e);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to append to " + file, interrupted);
                }
            }
        }
    }

    /** One row's fields, in {@link #CODECARBON_COLUMNS} order. */
    List<String> values(EnergyReport report) {
        double seconds = report.durationSeconds();
        double kilograms = report.emissions().kilograms();
        String cloudProvider = "";
        String cloudRegion = "";
        String gridKey = report.grid().key();
        if (gridKey.contains(":")) {
            cloudProvider = gridKey.substring(0, gridKey.indexOf(':'));
            cloudRegion = gridKey.substring(gridKey.indexOf(':') + 1);
        }
        String region = !gridKey.contains(":") && gridKey.contains("-") ? gridKey : "";
        List<String> v = new ArrayList<>(CODECARBON_COLUMNS.size());
        v.add(LocalDateTime.ofInstant(report.startedAt().plus(report.duration()), ZoneId.systemDefault()).format(TIMESTAMP));
        v.add(text(report.project()));
        v.add(report.runId());
        v.add(text(experimentId));
        v.add(number(seconds));
        v.add(number(kilograms));
        v.add(number(seconds > 0 ? kilograms / seconds : 0));
        v.add("");                                                    // cpu_utilization_percent: not sampled
        v.add("");                                                    // ram_utilization_percent: not sampled
        v.add("");                                                    // ram_used_gb: not sampled
        v.add(number(report.averagePower(Component.CPU).watts()));
        v.add(number(report.averagePower(Component.GPU).watts()));
        v.add(number(report.averagePower(Component.RAM).watts()));
        v.add(number(report.energy(Component.CPU).kilowattHours()));
        v.add(number(report.energy(Component.GPU).kilowattHours()));
        v.add(number(report.energy(Component.RAM).kilowattHours()));
        v.add(number(report.totalEnergy().kilowattHours()));
        v.add("0");                                                   // water_consumed: not modelled
        v.add(text(report.grid().userGiven() ? "" : report.grid().name()));
        v.add(text(report.grid().countryIso3()));
        v.add(text(region));
        v.add(text(cloudProvider));
        v.add(text(cloudRegion));
        v.add(text(System.getProperty("os.name") + "-" + System.getProperty("os.version")));
        v.add("");                                                    // python_version: a JVM has none
        v.add("");                                                    // codecarbon_version: not CodeCarbon
        v.add(Integer.toString(report.hardware().cpuCount()));
        v.add(text(report.hardware().cpuModel()));
        v.add(Integer.toString(report.hardware().gpuCount()));
        v.add(text(report.hardware().gpuModel()));
        v.add("");                                                    // longitude: never geolocated
        v.add("");                                                    // latitude
        v.add(number(report.hardware().ramTotalGigabytes()));
        v.add(report.trackingMode());
        v.add(cloudProvider.isEmpty() ? "N" : "Y");
        v.add(number(report.pue()));
        v.add("0");                                                   // wue: not modelled
        return v;
    }

    private static String number(double value) {
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }

    /**
     * A text field as CSV readers and spreadsheets take it safely: line breaks folded to spaces, a leading
     * {@code = + - @} (after any spaces) or a tab prefixed with an apostrophe (OWASP's advice against formula
     * injection), and the field quoted when it holds a comma or quote.
     */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        String flat = value.replaceAll("\\R", " ");
        String start = flat.stripLeading();
        if (flat.startsWith("\t") || !start.isEmpty() && "=+-@".indexOf(start.charAt(0)) >= 0) {
            flat = "'" + flat;
        }
        return flat.contains(",") || flat.contains("\"") ? "\"" + flat.replace("\"", "\"\"") + "\"" : flat;
    }
}
