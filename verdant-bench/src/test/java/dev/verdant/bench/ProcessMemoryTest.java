package dev.verdant.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {

    @TempDir
    Path dir;

    @Test
    void readsKibibytesFromTheStatusFile() throws Exception {
        Path status = Files.writeString(dir.resolve("status"), """
                Name:	java
                VmPeak:	 9000000 kB
                VmHWM:	  123456 kB
                VmRSS:	  100000 kB
                """);
        ProcessMemory memory = new ProcessMemory(status, dir.resolve("clear_refs"));
        assertThat(memory.peakResidentBytes()).hasValue(123_456L * 1024);
        assertThat(memory.residentBytes()).hasValue(100_000L * 1024);
    }

    @Test
    void missingFieldsAndFilesAreEmptyNotErrors() throws Exception {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\n");
        assertThat(new ProcessMemory(status, dir.resolve("x")).peakResidentBytes()).isEmpty();
        assertThat(new ProcessMemory(dir.resolve("missing"), dir.resolve("x")).residentBytes()).isEmpty();
    }

    @Test
    void thisProcessHasAPeakAtLeastItsResidentSet() {
        // one read: two reads may disagree after another test reset the mark (a full run saw 129.39 MB < 129.47 MB)
        ProcessMemory.Reading reading = ProcessMemory.current().read().orElseThrow();
        long resident = reading.residentBytes();
        assertThat(resident).isPositive();
        assertThat(reading.peakResidentBytes()).isGreaterThanOrEqualTo(resident);
    }
}
