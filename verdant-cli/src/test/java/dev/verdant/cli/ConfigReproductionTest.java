package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdant.onnx.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's "verdant init plus verdant optimize --config reproduces a run from its report": a LeNet-5 and the
 * bundled Fashion-MNIST sample (both on a bare machine), a starter config from init, a search run from it, then the
 * same search run again from nothing but the first run's report.json (in a fresh work folder, so nothing is resumed).
 */
class ConfigReproductionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void initThenOptimizeWithConfigThenItsReportRepeatsTheRun() throws Exception {
        Path model = LenetFile.in(dir);
        Path config = dir.resolve("verdant.yaml");
        CliRun init = CliRun.of("init", model.toString(), "--data", "fashion-mnist-sample", "--out", config.toString());
        assertThat(init.exitCode()).as(init.err()).isEqualTo(ExitCode.OK);

        // the first run: the starter config, with the search kept small on the command line (which wins)
        Path firstWork = dir.resolve("first");
        CliRun first = CliRun.of("optimize", "--config", config.toString(), "--objective", "size", "--max-candidates",
                "2", "--threads", "1", "--calibration", "50", "--check", "200", "--measure-time", "0.15s",
                "--work", firstWork.toString(), "--json");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
        JsonNode firstResult = JSON.readTree(first.out());
        JsonNode recorded = JSON.readTree(Files.readString(firstWork.resolve("report.json"))).path("run")
                .path("config");
        // the report records every option as run: from the file, from the command line, and the defaults
        assertThat(recorded.path("model").asText()).isEqualTo(model.toString());
        assertThat(recorded.path("data").asText()).isEqualTo("fashion-mnist-sample");
        assertThat(recorded.path("budget").asText()).isEqualTo("10m");
        assertThat(recorded.path("objective").asText()).isEqualTo("size");
        assertThat(recorded.path("max-candidates").asInt()).isEqualTo(2);
        assertThat(recorded.path("threads").toString()).isEqualTo("[1]");
        assertThat(recorded.path("batch").asInt()).isEqualTo(1);
        assertThat(recorded.path("work").asText()).isEqualTo(firstWork.toString());
        assertThat(firstResult.path("run").path("config")).isEqualTo(recorded);   // --json says the same
        assertThat(Files.readString(firstWork.resolve("report.html"))).contains("id=\"config\"")
                .contains("max-candidates");

        // the second run: nothing but the report (and a fresh work folder, so that nothing is resumed); the recorded
        // json: true makes it print its result as the first did
        Path secondWork = dir.resolve("second");
        CliRun second = CliRun.of("optimize", "--config", firstWork.resolve("report.json").toString(), "--work",
                secondWork.toString());
        assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCode.OK);
        ObjectNode expected = recorded.deepCopy();
        expected.put("work", secondWork.toString());
        assertThat(JSON.readTree(Files.readString(secondWork.resolve("report.json"))).path("run").path("config"))
                .isEqualTo(expected);

        // the same choice and the same figures (all but time and energy, which are measured anew)
        JsonNode a = firstResult.path("search");
        JsonNode c = JSON.readTree(second.out()).path("search");
        assertThat(c.path("resumed").asInt()).isZero();
        assertThat(a.path("chosen").asText()).as("a candidate, not the original, was chosen")
                .isNotEqualTo(a.path("original").asText());
        assertThat(c.path("chosen").asText()).isEqualTo(a.path("chosen").asText());
        assertThat(c.path("tolerances")).isEqualTo(a.path("tolerances"));
        assertThat(c.path("candidates")).hasSameSizeAs(a.path("candidates"));
        for (int i = 0; i < a.path("candidates").size(); i++) {
            JsonNode x = a.path("candidates").get(i);
            JsonNode y = c.path("candidates").get(i);
            assertThat(y.path("id").asText()).isEqualTo(x.path("id").asText());
            assertThat(y.path("facts")).as(x.path("id").asText()).isEqualTo(x.path("facts"));
            assertThat(y.path("quality")).as(x.path("id").asText()).isEqualTo(x.path("quality"));
        }
        for (int i = 0; i < a.path("points").size(); i++) {
            JsonNode x = a.path("points").get(i);
            JsonNode y = c.path("points").get(i);
            assertThat(y.path("name").asText()).isEqualTo(x.path("name").asText());
            assertThat(y.path("meets_tolerance")).isEqualTo(x.path("meets_tolerance"));
            assertThat(y.path("objective_value")).as("size in bytes").isEqualTo(x.path("objective_value"));
        }
        // the same model, but for the energy its provenance records (measured anew)
        assertThat(OnnxModels.read(secondWork.resolve("best.onnx")).toBuilder().clearMetadataProps().build())
                .isEqualTo(OnnxModels.read(firstWork.resolve("best.onnx")).toBuilder().clearMetadataProps().build());
    }

    @Test
    void aCompressResultRepeatsItsRunThroughConfig() throws Exception {
        Path model = LenetFile.in(dir);
        Path result = dir.resolve("result.json");
        CliRun first = CliRun.of("compress", model.toString(), "--recipe", "int8-static", "--data",
                "fashion-mnist-sample", "--calibration", "32", "--check", "64", "--rounds", "0", "--no-energy", "--out",
                dir.resolve("first.onnx").toString(), "--json");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
        Files.writeString(result, first.out());
        JsonNode recorded = JSON.readTree(first.out()).path("run").path("config");
        assertThat(recorded.path("recipe").asText()).isEqualTo("int8-static");
        assertThat(recorded.path("calibrate").asText()).isEqualTo("minmax");   // a default, recorded too
        assertThat(recorded.path("no-energy").asBoolean()).isTrue();

        CliRun second = CliRun.of("compress", "--config", result.toString(), "--out", dir.resolve("second.onnx")
                .toString());
        assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCode.OK);
        JsonNode a = JSON.readTree(first.out()).path("compression");
        JsonNode b = JSON.readTree(second.out()).path("compression");
        assertThat(b.path("recipe")).isEqualTo(a.path("recipe"));
        assertThat(b.path("compressed")).isEqualTo(a.path("compressed"));
        assertThat(a.path("compressed").path("bytes").asLong()).isPositive();
        assertThat(a.path("accuracy").isObject()).isTrue();
        assertThat(b.path("accuracy")).isEqualTo(a.path("accuracy"));
        assertThat(b.path("fidelity")).isEqualTo(a.path("fidelity"));
        assertThat(OnnxModels.read(dir.resolve("second.onnx")).getGraph())
                .isEqualTo(OnnxModels.read(dir.resolve("first.onnx")).getGraph());
    }
}
