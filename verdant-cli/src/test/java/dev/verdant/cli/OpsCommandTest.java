package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import org.junit.jupiter.api.Test;

class OpsCommandTest {

    @Test
    void listsSupportedOpsWithTheirNodeTestResultsAsJson() throws Exception {
        SystemDataAssumptions.assumeInstalled(SystemData.ONNX_NODE_TESTS);
        CliRun run = CliRun.of("ops", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode listing = new ObjectMapper().readTree(run.out());
        assertThat(listing.get("tests_passed").asLong()).isPositive();
        assertThat(listing.get("tests_failed").asLong()).isZero();
        JsonNode conv = null;
        for (JsonNode op : listing.get("ops")) {
            assertThat(op.get("tests_passed").asInt()).as(op.get("op").asText())
                    .isEqualTo(op.get("tests_total").asInt());
            if (op.get("op").asText().equals("Conv")) {
                conv = op;
            }
        }
        assertThat(conv).isNotNull();
        assertThat(conv.get("domain").asText()).isEqualTo("ai.onnx");
        assertThat(conv.get("tests_total").asInt()).isPositive();
    }

    @Test
    void listsOpsWithoutRunningTheTests() {
        CliRun run = CliRun.of("ops", "--no-conformance");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^MatMul\\s+ai\\.onnx\\s+1-\\d+\\s+not run$")
                .contains("node tests not run (--no-conformance)");
    }

    @Test
    void aMissingTestFolderIsBadInput() {
        CliRun run = CliRun.of("ops", "--tests", "/nonexistent/node");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).contains("--tests /nonexistent/node is not a folder of ONNX node tests");
    }
}
