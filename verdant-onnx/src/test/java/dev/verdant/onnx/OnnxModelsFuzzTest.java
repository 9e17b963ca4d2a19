package dev.verdant.onnx;

import static dev.verdant.io.ParserProperties.parsesOrRefuses;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The ONNX model reader as a coverage-guided fuzz target (Jazzer). A normal build replays the committed corpus in
 * {@code src/test/resources/dev/verdant/onnx/OnnxModelsFuzzTestInputs/parse} (regression mode); with
 * {@code JAZZER_FUZZ=1} it fuzzes (see docs/testing.md).
 */
class OnnxModelsFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] data) throws Exception {
        parsesOrRefuses(() -> OnnxModels.parse(data, "model.onnx"), ModelFormatException.class);
    }
}
