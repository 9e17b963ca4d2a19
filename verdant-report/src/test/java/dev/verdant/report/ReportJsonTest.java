package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.report.Report.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    @TempDir
    Path dir;

    @Test
    void benchResultBecomesOneCandidatePerMeasurementWithItsFigures() throws Exception {
        JsonNode bench = new ObjectMapper().readTree(ReportFixtures.realBenchJson());
        Report report = ReportFixtures.realBench();

        assertThat(report.candidates()).hasSize(bench.get("measurements").size());
        assertThat(report.models()).extracting(Report.ModelEntry::name)
                .containsExactly(bench.get("models").get(0).get("label").asText(),
                        bench.get("models").get(1).get("label").asText());
        for (int i = 0; i < report.candidates().size(); i++) {
            JsonNode m = bench.get("measurements").get(i);
            Candidate c = report.candidates().get(i);
            assertThat(c.model()).isEqualTo(m.get("model").asText());
            assertThat(c.configuration()).isEqualTo("threads " + m.get("threads").asInt() + ", batch "
                    + m.get("batch_size").asInt());
            assertThat(c.latencyMillis()).isEqualTo(m.get("millis_per_inference").asDouble());
            assertThat(c.p99Millis()).isEqualTo(m.get("latency").get("p99_millis").asDouble());
            assertThat(c.energyJoulesPerInference()).isEqualTo(m.get("energy_joules_per_inference").asDouble());
            assertThat(c.energyMethod()).isEqualTo(bench.get("energy").get("method").asText());
        }
        assertThat(report.findings()).hasSize(bench.get("comparisons").size() + 1);
        assertThat(report.findings().get(0)).contains("as fast as");
        assertThat(report.card().model()).isEqualTo(bench.get("models").get(0).get("label").asText());
        assertThat(report.card().params()).isEqualTo(bench.get("models").get(0).get("params").asLong()
                + bench.get("models").get(0).get("quantized_params").asLong());
        assertThat(report.run().command()).startsWith("verdant bench");
    }

    @Test
    void nativeReportRoundTripsThroughJson() {
        Report report = ReportFixtures.realBench();
        Report again = ReportJson.parse(ReportJson.write(report), "round trip");
        assertThat(again).isEqualTo(report);
        assertThat(ReportJson.write(report)).contains("\"kind\" : \"report\"").contains("\"energy_joules_per_inference\"");
    }

    @Test
    void theOptionsARunUsedRoundTripAndThePageListsThemEscaped() {
        Report bench = ReportFixtures.realBench();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", ReportFixtures.HOSTILE_NAME);
        config.put("threads", List.of(1, 2));
        config.put("min-fidelity", 0.99);
        config.put("per-tensor", false);
        Report report = new Report(bench.kind(), bench.schemaVersion(), bench.title(), bench.run().withConfig(config),
                bench.machine(), bench.models(), bench.candidates(), bench.layers(), bench.card(), bench.energy(),
                bench.findings(), bench.notes());
        String json = ReportJson.write(report);
        assertThat(json).contains("\"min-fidelity\" : 0.99").contains("\"threads\" : [ 1, 2 ]");
        Report again = ReportJson.parse(json, "round trip");
        assertThat(again.run().config()).isEqualTo(config);
        String page = HtmlReport.render(again);
        assertThat(page).contains("id=\"config\"").contains("<code>1, 2</code>").contains("<code>false</code>")
                .doesNotContain(ReportFixtures.HOSTILE_NAME);
        // a run that records none writes no config key and no section
        assertThat(ReportJson.write(bench)).doesNotContain("\"config\"");
        assertThat(HtmlReport.render(bench)).doesNotContain("id=\"config\"");
    }

    @Test
    void badFilesAreOneLineErrors() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.json"), "{ nope");
        Path otherKind = Files.writeString(dir.resolve("b.json"), "{\"kind\": \"weather\"}");
        Path emptyBench = Files.writeString(dir.resolve("c.json"), "{\"kind\": \"bench\", \"measurements\": []}");
        Path array = Files.writeString(dir.resolve("d.json"), "[1, 2]");
        assertThatThrownBy(() -> ReportJson.read(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("results file: no such file");
        assertThatThrownBy(() -> ReportJson.read(notJson)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ReportJson.read(otherKind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind 'weather'");
        assertThatThrownBy(() -> ReportJson.read(emptyBench)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no measurements");
        assertThatThrownBy(() -> ReportJson.read(array)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no JSON object");
    }

    @Test
    void hostileResultsFilesAreOneLineNotACrash() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThatThrownBy(() -> ReportJson.parse(deep, "deep.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deep.json is not valid JSON: ").hasMessageNotContaining("\n");
        String deepObject = "{\"kind\":\"bench\",\"a\":" + "{\"b\":".repeat(200_000) + "1" + "}".repeat(200_001);
        assertThatThrownBy(() -> ReportJson.parse(deepObject, "deep.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
        for (String version : new String[] {"99", "0", "\"two\""}) {
            assertThatThrownBy(() -> ReportJson.parse("{\"kind\":\"bench\",\"schema_version\":" + version + "}",
                    "future.json")).as(version).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("future.json has schema_version " + version + "; this Verdant reads 1 to 2");
        }
    }
}
