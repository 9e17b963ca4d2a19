package dev.verdant.energy.meter;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Intel and AMD RAPL energy counters read through Linux powercap ({@code /sys/class/powercap/intel-rapl:*}, also
 * reachable as {@code /sys/devices/virtual/powercap/intel-rapl}): package domains as CPU energy, DRAM domains as
 * RAM energy. Measures the whole machine, not one process.
 *
 * <p>Counting rules, each of which some tool has got wrong: a zone is known by its {@code name} file, not its
 * directory; {@code core} and {@code uncore} sit inside {@code package-N} and are never added to it; {@code psys}
 * (the whole platform) contains the packages and is skipped; {@code intel-rapl-mmio} repeats the package counter
 * and is skipped; a zone reached through two roots (a symlink) counts once. Counters wrap at
 * {@code max_energy_range_uj}; a reading lower than the last one is read as one wrap.
 */
public final class RaplMeter implements Meter {

    /** Where powercap lives on Linux; the class path is a set of symlinks into the devices path. */
    public static final List<Path> DEFAULT_ROOTS =
            List.of(Path.of("/sys/class/powercap"), Path.of("/sys/devices/virtual/powercap"));

    private static final Pattern TOP_ZONE = Pattern.compile("intel-rapl:\\d+");
    private static final Pattern SUB_ZONE = Pattern.compile("intel-rapl:\\d+:\\d+");
    /** 2^32 µJ: the range of a 32-bit counter, assumed when a zone does not publish its own. */
    private static final long DEFAULT_MAX_RANGE_UJ = 1L << 32;

    private final SysFiles files;
    private final List<Zone> zones;
    private final long[] lastRawMicrojoules;
    private final double[] totalMicrojoules;
    private final Description description;

    /** One counted powercap zone. */
    record Zone(Path energyFile, String name, Component component, long maxRangeMicrojoules) {
    }

    private RaplMeter(SysFiles files, List<Zone> zones) throws MeterUnavailableException {
        this.files = files;
        this.zones = List.copyOf(zones);
        this.lastRawMicrojoules = new long[zones.size()];
        this.totalMicrojoules = new double[zones.size()];
        EnumSet<Component> found = EnumSet.noneOf(Component.class);
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            lastRawMicrojoules[i] = readCounter(zone);
            found.add(zone.component());
            notes.add("RAPL zone " + zone.name() + " (" + zone.energyFile().getParent() + ") counted as "
                    + zone.component().label() + " energy; counter wraps at " + zone.maxRangeMicrojoules() + " µJ");
        }
        notes.add("RAPL measures the whole machine (every process on these sockets), not only the tracked work");
        // powercap counts microjoules
        this.description = new Description("rapl", Method.MEASURED, found, "1 µJ of the RAPL counter", notes);
    }

    /** Opens the counters under the default powercap roots. */
    public static RaplMeter open() throws MeterUnavailableException {
        return open(DEFAULT_ROOTS, SysFiles.REAL);
    }

    /**
     * Opens the counters found under {@code roots}, reading through {@code files}.
     *
     * @throws MeterUnavailableException when no package zone exists or its counter cannot be read, with the fix
     */
    public static RaplMeter open(List<Path> roots, SysFiles files) throws MeterUnavailableException {
        List<Zone> zones = discover(roots, files);
        if (zones.stream().noneMatch(z -> z.component() == Component.CPU)) {
            throw new MeterUnavailableException("no RAPL package counters under " + roots
                    + " (a VM, a container without /sys, or a CPU without RAPL)");
        }
        return new RaplMeter(files, zones);
    }

    static List<Zone> discover(List<Path> roots, SysFiles files) throws MeterUnavailableException {
        Map<Path, Zone> byRealPath = new LinkedHashMap<>();
        for (Path root : roots) {
            for (Path dir : candidateZones(root)) {
                Path real = realPath(dir);
                if (byRealPath.containsKey(real)) {
                    continue;
                }
                Zone zone = zoneOf(dir, files);
                if (zone != null) {
                    byRealPath.put(real, zone);
                }
            }
        }
        List<Zone> zones = new ArrayList<>(byRealPath.values());
        zones.sort((a, b) -> a.energyFile().getParent().getFileName().toString()
                .compareTo(b.energyFile().getParent().getFileName().toString()));
        return zones;
    }

    /** Zone folders directly under a root and one or two levels down (the devices path nests them). */
    private static List<Path> candidateZones(Path root) {
        List<Path> found = new ArrayList<>();
        collect(root, 0, found);
        return found;
    }

    private static void collect(Path dir, int depth, List<Path> found) {
        if (depth > 3 || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (TOP_ZONE.matcher(name).matches() || SUB_ZONE.matcher(name).matches()) {
                    found.add(entry);
                    collect(entry, depth + 1, found);
                } else if (name.equals("intel-rapl") && depth == 0) {
                    collect(entry, depth + 1, found);
                }
            }
        } catch (IOException e) {
            // an unreadable folder holds no zone we could read either
        }
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** The zone to count, or null for zones that are nested in or repeat another. */
    private static Zone zoneOf(Path dir, SysFiles files) throws MeterUnavailableException {
        String name;
        try {
            name = files.read(dir.resolve("name")).strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return null;
        }
        boolean top = TOP_ZONE.matcher(dir.getFileName().toString()).matches();
        Component component;
        if (top && name.startsWith("package")) {
            component = Component.CPU;
        } else if (name.equals("dram")) {
            component = Component.RAM;
        } else {
            return null; // core, uncore (inside a package), psys (contains the packages), gpu (integrated)
        }
        Path energy = dir.resolve("energy_uj");
        if (!Files.exists(energy)) {
            return null;
        }
        long maxRange = DEFAULT_MAX_RANGE_UJ;
        try {
            maxRange = files.readLong(dir.resolve("max_energy_range_uj"));
        } catch (IOException e) {
            // keep the 32-bit default; the assumption is printed with the zone
        }
        return new Zone(energy, name, component, maxRange);
    }

    private long readCounter(Zone zone) throws MeterUnavailableException {
        try {
            return files.readLong(zone.energyFile());
        } catch (AccessDeniedException e) {
            throw new MeterUnavailableException(rootOnlyMessage(zone.energyFile()), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("permission denied")) {
                throw new MeterUnavailableException(rootOnlyMessage(zone.energyFile()), e);
            }
            throw new MeterUnavailableException("cannot read RAPL counter " + zone.energyFile() + ": " + e.getMessage(), e);
        }
    }

    /** The message CodeCarbon's users never got: what is wrong, why, and the command that fixes it. */
    static String rootOnlyMessage(Path energyFile) {
        return "RAPL counter " + energyFile + " is readable by root only (Linux restricted energy_uj in 2020 after "
                + "the PLATYPUS power side channel, CVE-2020-8694); to measure instead of estimate, run "
                + "'sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj /sys/class/powercap/intel-rapl:*:*/energy_uj' "
                + "(until reboot) or add a udev rule, or run as root";
    }

    @Override
    public synchronized Map<Component, Energy> read() {
        Map<Component, Energy> out = new EnumMap<>(Component.class);
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            long raw;
            try {
                raw = files.readLong(zone.energyFile());
            } catch (IOException e) {
                raw = lastRawMicrojoules[i]; // a transient read error adds nothing rather than failing the run
            }
            long delta = raw >= lastRawMicrojoules[i]
                    ? raw - lastRawMicrojoules[i]
                    : zone.maxRangeMicrojoules() - lastRawMicrojoules[i] + raw;
            lastRawMicrojoules[i] = raw;
            totalMicrojoules[i] += delta;
            out.merge(zone.component(), Energy.ofMicrojoules(totalMicrojoules[i]), Energy::plus);
        }
        return out;
    }

    @Override
    public Description description() {
        return description;
    }

    /** The zones counted, for tests and reports. */
    List<Zone> zones() {
        return zones;
    }

    @Override
    public void close() {
        // sysfs files are opened per read; nothing to release
    }
}
