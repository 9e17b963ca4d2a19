package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCommandTest {

    @TempDir
    Path dir;

    private Path lenet() {
        return LenetFile.in(dir);
    }

    @Test
    void badInputIsOneLineAndExit2() {
        Path model = lenet();
        CliRun missing = CliRun.of("optimize", dir.resolve("absent.onnx").toString(), "--data", "fashion-mnist-sample",
                "--work", dir.resolve("w").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err().strip()).contains("no such model file").doesNotContain("\n");

        CliRun drop = CliRun.of("optimize", model.toString(), "--data", "fashion-mnist-sample",
                "--max-accuracy-drop", "a bit", "--work", dir.resolve("w").toString());
        assertThat(drop.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(drop.err().strip()).contains("--max-accuracy-drop").doesNotContain("\n");

        CliRun objective = CliRun.of("optimize", model.toString(), "--data", "fashion-mnist-sample",
                "--objective", "beauty", "--work", dir.resolve("w").toString());
        assertThat(objective.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(objective.err().strip()).contains("unknown objective 'beauty'").doesNotContain("\n");

        CliRun noData = CliRun.of("optimize", model.toString(), "--work", dir.resolve("w").toString());
        assertThat(noData.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(noData.err().strip()).contains("--data is required").doesNotContain("\n");
        assertThat(dir.resolve("w").resolve("best.onnx")).doesNotExist();
    }

    @Test
    void sparkMissingFromTheClassPathIsOneLineNamingTheDependencyBeforeAnyOutput() {
        Path work = dir.resolve("spark-work");
        CliRun run = CliRun.of("optimize", lenet().toString(), "--data", "fashion-mnist-sample", "--spark", "local[2]",
                "--work", work.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).contains("org.apache.spark:spark-sql_2.13").doesNotContain("\n");
        assertThat(work).doesNotExist();
    }

    @Test
    void aCappedSearchPrintsTheChoiceAsJsonAndWritesModelAndReport() throws Exception {
        Path model = lenet();
        Path work = dir.resolve("work");
        CliRun run = CliRun.of("optimize", model.toString(), "--data", "fashion-mnist-sample", "--max-accuracy-drop",
                "5pt", "--objective", "size", "--max-candidates", "1", "--threads", "1", "--calibration", "50",
                "--check", "200", "--measure-time", "0.15s", "--work", work.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("kind").asText()).isEqualTo("optimize");   // the one result record, schema 2
        // the command line as typed, with the subcommand named once
        assertThat(json.path("run").path("command").asText()).startsWith("verdant optimize ")
                .doesNotContain("optimize optimize");
        JsonNode search = json.path("search");
        assertThat(search.path("objective").path("name").asText()).isEqualTo("size");
        assertThat(search.path("points")).hasSize(2);   // the original and one candidate, one thread count
        JsonNode chosen = null;
        for (JsonNode point : search.path("points")) {
            chosen = point.path("name").asText().equals(search.path("chosen").asText()) ? point : chosen;
        }
        assertThat(chosen).isNotNull();
        assertThat(chosen.path("meets_tolerance").asBoolean()).isTrue();
        assertThat(search.path("skipped").size()).isPositive();
        assertThat(work.resolve("best.onnx")).exists();
        assertThat(Files.readString(work.resolve("report.html"))).contains("pareto-chart");
    }
}
