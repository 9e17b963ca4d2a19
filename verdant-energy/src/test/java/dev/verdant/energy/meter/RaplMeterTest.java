package dev.verdant.energy.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAPL against fixture powercap trees shaped like a two-socket Xeon's. */
class RaplMeterTest {

    @TempDir
    Path sys;

    /** Writes one zone folder with its name, counter and range. */
    private Path zone(Path parent, String folder, String name, long energyUj, long maxRangeUj) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(folder));
        Files.writeString(dir.resolve("name"), name + "\n");
        Files.writeString(dir.resolve("energy_uj"), energyUj + "\n");
        Files.writeString(dir.resolve("max_energy_range_uj"), maxRangeUj + "\n");
        return dir;
    }

    private static void set(Path zone, long energyUj) throws IOException {
        Files.writeString(zone.resolve("energy_uj"), energyUj + "\n");
    }

    /**
     * The devices tree holds the zones; the class folder holds symlinks to them, as on a real kernel. Socket 0 and 1
     * each have core, uncore and dram sub-zones; psys and an mmio duplicate sit at top level.
     */
    private record TwoSockets(Path classRoot, Path devicesRoot, Path pkg0, Path pkg1, Path core0, Path dram0,
                              Path dram1, Path psys, Path mmio) {
    }

    private TwoSockets twoSockets() throws IOException {
        Path devices = sys.resolve("devices/virtual/powercap");
        Path rapl = Files.createDirectories(devices.resolve("intel-rapl"));
        long range = 262_143_328_850L;
        Path pkg0 = zone(rapl, "intel-rapl:0", "package-0", 1_000_000, range);
        Path core0 = zone(pkg0, "intel-rapl:0:0", "core", 500_000, range);
        zone(pkg0, "intel-rapl:0:1", "uncore", 100_000, range);
        Path dram0 = zone(pkg0, "intel-rapl:0:2", "dram", 300_000, range);
        Path pkg1 = zone(rapl, "intel-rapl:1", "package-1", 2_000_000, range);
        Path dram1 = zone(pkg1, "intel-rapl:1:0", "dram", 400_000, range);
        Path psys = zone(rapl, "intel-rapl:2", "psys", 9_000_000, range);
        Path mmio = zone(Files.createDirectories(devices.resolve("intel-rapl-mmio")), "intel-rapl-mmio:0", "package-0",
                1_000_000, range);
        Path classRoot = Files.createDirectories(sys.resolve("class/powercap"));
        for (Path zone : List.of(pkg0, core0, pkg0.resolve("intel-rapl:0:1"), dram0, pkg1, dram1, psys)) {
            Files.createSymbolicLink(classRoot.resolve(zone.getFileName()), zone);
        }
        Files.createSymbolicLink(classRoot.resolve("intel-rapl-mmio:0"), mmio);
        return new TwoSockets(classRoot, devices, pkg0, pkg1, core0, dram0, dram1, psys, mmio);
    }

    @Test
    void countsPackagesAndDramOnceAcrossBothRootsAndSkipsNestedAndPlatformZones() throws Exception {
        TwoSockets tree = twoSockets();
        try (RaplMeter meter = RaplMeter.open(List.of(tree.classRoot(), tree.devicesRoot()), SysFiles.REAL)) {
            assertThat(meter.zones()).extracting(RaplMeter.Zone::name)
                    .containsExactlyInAnyOrder("package-0", "dram", "package-1", "dram");
            assertThat(meter.method()).isEqualTo(Method.MEASURED);
            assertThat(meter.components()).containsExactlyInAnyOrder(Component.CPU, Component.RAM);

            set(tree.pkg0(), 1_000_000 + 30_000_000);   // +30 J on socket 0
            set(tree.pkg1(), 2_000_000 + 20_000_000);   // +20 J on socket 1
            set(tree.core0(), 500_000 + 25_000_000);    // inside package-0: must not add
            set(tree.psys(), 9_000_000 + 90_000_000);   // whole platform: must not add
            set(tree.mmio(), 1_000_000 + 30_000_000);   // duplicate of package-0: must not add
            set(tree.dram0(), 300_000 + 4_000_000);     // +4 J
            set(tree.dram1(), 400_000 + 6_000_000);     // +6 J
            Map<Component, Energy> energy = meter.read();
            assertThat(energy.get(Component.CPU).joules()).isEqualTo(50.0);
            assertThat(energy.get(Component.RAM).joules()).isEqualTo(10.0);
        }
    }

    @Test
    void aCounterThatWrapsMidRunAddsTheDistanceToTheEndOfItsRange() throws Exception {
        Path root = Files.createDirectories(sys.resolve("powercap"));
        Path pkg = zone(root, "intel-rapl:0", "package-0", 900_000, 1_000_000);
        try (RaplMeter meter = RaplMeter.open(List.of(root), SysFiles.REAL)) {
            set(pkg, 950_000);
            assertThat(meter.read().get(Component.CPU).joules()).isEqualTo(0.05);
            set(pkg, 100_000); // wrapped: 50,000 to the end of the range, then 100,000
            assertThat(meter.read().get(Component.CPU).joules()).isEqualTo(0.2);
            set(pkg, 400_000);
            assertThat(meter.read().get(Component.CPU).joules()).isEqualTo(0.5);
        }
    }

    @Test
    void rootOnlyCountersGiveAMessageNamingTheCauseAndTheFix() throws Exception {
        Path root = Files.createDirectories(sys.resolve("powercap"));
        zone(root, "intel-rapl:0", "package-0", 1, 1_000_000);
        // The tests may run as root, which reads mode-000 files; simulate what an ordinary user gets.
        SysFiles rootOnly = file -> {
            if (file.getFileName().toString().equals("energy_uj")) {
                throw new AccessDeniedException(file.toString());
            }
            return SysFiles.REAL.read(file);
        };
        assertThatThrownBy(() -> RaplMeter.open(List.of(root), rootOnly))
                .isInstanceOf(MeterUnavailableException.class)
                .hasMessageContaining("readable by root only")
                .hasMessageContaining("CVE-2020-8694")
                .hasMessageContaining("chmod a+r");
    }

    @Test
    void noPackageZoneMeansNoRapl() throws Exception {
        Path empty = Files.createDirectories(sys.resolve("empty"));
        assertThatThrownBy(() -> RaplMeter.open(List.of(empty, sys.resolve("missing")), SysFiles.REAL))
                .isInstanceOf(MeterUnavailableException.class)
                .hasMessageContaining("no RAPL package counters");
    }
}
