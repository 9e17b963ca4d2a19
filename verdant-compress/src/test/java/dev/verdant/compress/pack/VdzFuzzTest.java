package dev.verdant.compress.pack;

import static dev.verdant.io.ParserProperties.parsesOrRefuses;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The {@code .vdz} reader as a coverage-guided fuzz target (Jazzer). A normal build replays the committed corpus in
 * {@code src/test/resources/dev/verdant/compress/pack/VdzFuzzTestInputs/unpack} (regression mode); with
 * {@code JAZZER_FUZZ=1} it fuzzes (see docs/testing.md). Each input is read as it is and with its checksum sealed,
 * so the fuzzer is not stopped at the CRC.
 */
class VdzFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void unpack(byte[] data) throws Exception {
        parsesOrRefuses(() -> VdzContainer.unpack(data), IllegalArgumentException.class);
        parsesOrRefuses(() -> VdzContainer.unpack(VdzSamples.sealed(data)), IllegalArgumentException.class);
    }
}
