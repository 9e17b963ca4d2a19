package dev.verdant.energy.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuPowerTableTest {

    private final CpuPowerTable table = CpuPowerTable.builtIn();

    @Test
    void everyRowIsSourcedDatedAndConsistent() {
        assertThat(table.rows()).hasSizeGreaterThan(30);
        for (CpuPowerTable.CpuPower row : table.rows()) {
            assertThat(row.source()).isNotBlank();
            assertThat(row.year()).isBetween(2010, 2030);
            assertThat(row.threads()).isGreaterThanOrEqualTo(row.cores());
            assertThat(row.tdp().watts()).isBetween(5.0, 600.0);
        }
    }

    @Test
    void matchesKernelModelStrings() {
        var xeon = table.lookup("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", 6).orElseThrow();
        assertThat(xeon.modelPattern()).isEqualTo("Intel Xeon Platinum 8380");
        assertThat(xeon.perThread().watts()).isCloseTo(270.0 / 80, within(1e-12));
        var epyc = table.lookup("AMD EPYC 7763 64-Core Processor", 25).orElseThrow();
        assertThat(epyc.modelPattern()).isEqualTo("AMD EPYC 7763");
        assertThat(table.lookup("Intel(R) Xeon(R) Platinum 8480+", 6).orElseThrow().tdp().watts()).isEqualTo(350.0);
    }

    @Test
    void aVmHidingTheModelGetsTheRepresentativeOfItsFamily() {
        var hidden = table.lookup("AMD EPYC", 26).orElseThrow();
        assertThat(hidden.generic()).isTrue();
        assertThat(hidden.representative()).isEqualTo("AMD EPYC 9555");
        assertThat(table.lookup("AMD EPYC 7B13", 25).orElseThrow().representative()).isEqualTo("AMD EPYC 7763");
    }

    @Test
    void unknownModelsAreNotGuessedFromTheirName() {
        assertThat(table.lookup("Some Future Chip 9000", -1)).isEmpty();
        assertThat(table.medianPerThread().watts()).isBetween(1.0, 10.0);
    }

    @Test
    void thisMachinesCpuIsCovered() {
        HostInfo host = HostInfo.current();
        if (host.cpuModel().isEmpty()) {
            return; // not Linux: nothing to match
        }
        assertThat(table.lookup(host.cpuModel(), host.cpuFamily()))
                .as("CPU '%s' family %d should be in cpu-power.csv", host.cpuModel(), host.cpuFamily())
                .isPresent();
    }
}
