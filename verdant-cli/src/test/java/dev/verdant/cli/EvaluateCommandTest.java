package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    Path dir;

    private Path lenet(int seed) {
        Path model = dir.resolve("lenet5-" + seed + ".onnx");
        OnnxModels.write(Zoo.imageClassifier("lenet5", 10, 1.0, seed).build(), model);
        return model;
    }

    @Test
    void onThisMachineItScoresTheModelAndItsBaselineOverTheWholeData() throws Exception {
        CliRun run = CliRun.of("evaluate", lenet(3).toString(), "--baseline", lenet(4).toString(), "--data",
                "fashion-mnist-sample", "--block-size", "70", "--batch-size", "32", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("where").asText()).isEqualTo("this machine");
        long examples = json.path("examples").asLong();
        assertThat(examples).isPositive();
        assertThat(json.path("blocks").asInt()).isEqualTo((int) ((examples + 69) / 70));
        assertThat(json.path("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.path("baseline_accuracy").isNumber()).isTrue();
        assertThat(json.path("min_cosine").asDouble()).isLessThan(1.0);   // two differently seeded networks
        assertThat(json.path("energy_per_thousand_joules").asDouble()).isNotNegative();
        assertThat(json.path("rows_per_second").asDouble()).isPositive();
    }

    @Test
    void sparkMissingFromTheClassPathIsOneLineNamingTheDependency() {
        CliRun run = CliRun.of("evaluate", lenet(3).toString(), "--data", "fashion-mnist-sample", "--spark",
                "local[2]");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).contains("org.apache.spark:spark-sql_2.13").doesNotContain("\n");
    }

    @Test
    void dataThatIsNotImagesOrATableIsOneLine() {
        CliRun run = CliRun.of("evaluate", lenet(3).toString(), "--data", "wordnet-nouns");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err().strip()).doesNotContain("\n");
    }
}
