package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.data.SystemData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {

    @TempDir
    Path dir;

    @Test
    void tableShowsPartsShapeAndClassCounts() {
        CliRun run = CliRun.of("data", "fashion-mnist-sample");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Dataset  fashion-mnist-sample").contains("test     1,000 samples of 1x28x28")
                .contains("Ankle boot");
    }

    @Test
    void jsonCountsEveryClassOfTheDigitsSample() throws Exception {
        CliRun run = CliRun.of("data", "mnist-digits-sample", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("name").asText()).isEqualTo("mnist-digits-sample");
        assertThat(json.get("class_names")).hasSize(10);
        assertThat(json.get("sha256").asText()).hasSize(64);
        JsonNode all = json.get("parts").get(0);
        assertThat(all.get("part").asText()).isEqualTo("all");
        assertThat(all.get("samples").asInt()).isEqualTo(200);
        assertThat(all.get("class_counts")).allSatisfy(count -> assertThat(count.asInt()).isEqualTo(20));
    }

    @Test
    void withNoDataItListsWhatShipsAndWhatNeedsAPackage() throws Exception {
        CliRun table = CliRun.of("data");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("wordnet-nouns-sample").contains("Debian package wordnet-base")
                .contains("ships with Verdant");

        CliRun run = CliRun.of("data", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode listed = new ObjectMapper().readTree(run.out());
        assertThat(listed).hasSize(7);
        for (JsonNode set : listed) {
            String name = set.get("name").asText();
            boolean sample = name.endsWith("-sample");
            assertThat(set.get("ships_with_verdant").asBoolean()).as(name).isEqualTo(sample);
            // what ships with Verdant is always here; a package is here exactly when this machine has it
            if (sample) {
                assertThat(set.get("installed").asBoolean()).as(name).isTrue();
                assertThat(set.get("needs").isNull()).as(name).isTrue();
            } else {
                SystemData needed = SystemData.valueOf(name.replace('-', '_').toUpperCase(Locale.ROOT)
                        .replace("WORDNET_NOUNS", "WORDNET"));
                assertThat(set.get("needs").asText()).isEqualTo(needed.source());
                assertThat(set.get("installed").asBoolean()).as(name).isEqualTo(needed.installed());
            }
        }
    }

    @Test
    void badDataIsOneLineWithExitCode2() throws Exception {
        CliRun unknown = CliRun.of("data", "cifar-10");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(unknown.err().strip()).startsWith("verdant: unknown dataset 'cifar-10'").doesNotContain("\n");

        Path csv = Files.writeString(dir.resolve("bad.csv"), "x,label\nabc,a\n");
        CliRun bad = CliRun.of("data", csv.toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(bad.err().strip()).isEqualTo("verdant: " + csv + " line 2, column 'x': 'abc' is not a finite number "
                + "(feature columns must be numeric)");
    }
}
