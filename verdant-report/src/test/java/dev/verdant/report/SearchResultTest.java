package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdant.io.Json;
import dev.verdant.report.console.SearchText;
import org.junit.jupiter.api.Test;

/**
 * A real {@code verdant optimize --json} result (a LeNet-5 trained one epoch on 2,000 Fashion-MNIST images, searched
 * for two minutes at a 1-point accuracy budget), beside the {@code report.json} and the console text the same run
 * wrote: {@code verdant report} reads the result into the very report optimize wrote, and the console view of the
 * result read back is the one the run printed.
 */
class SearchResultTest {

    private static final String RESULT = "optimize-lenet5.json";

    @Test
    void anOptimizeResultReadsAsTheReportTheSearchWrote() {
        Report read = ReportJson.parse(ReportFixtures.text(RESULT), RESULT);
        Report written = ReportJson.parse(ReportFixtures.text("optimize-lenet5.report.json"), "report.json");

        assertThat(read).isEqualTo(written);
        assertThat(read.candidates()).hasSize(18);   // 9 candidates at 1 and 2 threads
        assertThat(read.card().model()).isEqualTo("original t1");
    }

    @Test
    void anOptimizeResultRoundTrips() {
        Result result = ReportJson.parseResult(ReportFixtures.text(RESULT), RESULT);

        assertThat(result.kind()).isEqualTo(Result.OPTIMIZE);
        assertThat(result.schemaVersion()).isEqualTo(Result.SCHEMA_VERSION);
        assertThat(result.compression()).isNull();
        assertThat(result.bench()).isNull();
        Search search = result.search();
        assertThat(search.chosenPoint().name()).isEqualTo(search.chosen());
        assertThat(search.improved()).isFalse();
        assertThat(search.front()).allSatisfy(name -> assertThat(search.point(name)).isNotNull());
        String written = ReportJson.write(result);
        assertThat(ReportJson.parseResult(written, "written again")).isEqualTo(result);
        assertThat(Json.write(result)).isEqualTo(written);
    }

    @Test
    void aSearchMeasuredOnExecutorsNamesTheirHostsAndTheCaveatOnTheConsoleAndRoundTrips() throws Exception {
        ObjectNode root = (ObjectNode) Json.mapper().readTree(ReportFixtures.text(RESULT));
        ObjectNode executors = ((ObjectNode) root.path("search")).putObject("executors");
        executors.put("master", "spark://head:7077");
        executors.putArray("hosts").add("node-1 (executor 0)").add("node-2 (executor 1)");
        executors.put("caveat", "every executor must be the target hardware");
        Result result = ReportJson.parseResult(root.toString(), RESULT);

        assertThat(result.search().executors().hosts()).containsExactly("node-1 (executor 0)", "node-2 (executor 1)");
        assertThat(SearchText.format(result)).contains("Measured   candidates built and measured on the Spark executors "
                + "of spark://head:7077 at node-1 (executor 0), node-2 (executor 1); every executor must be the target "
                + "hardware" + System.lineSeparator());
        assertThat(ReportJson.parseResult(ReportJson.write(result), "written again")).isEqualTo(result);
        // a search on this machine has no executors, and its JSON no such key
        assertThat(ReportJson.write(ReportJson.parseResult(ReportFixtures.text(RESULT), RESULT)))
                .doesNotContain("\"executors\"");
    }

    @Test
    void theConsoleViewIsWhatTheRunPrinted() {
        Result result = ReportJson.parseResult(ReportFixtures.text(RESULT), RESULT);

        assertThat(SearchText.format(result)).isEqualTo(ReportFixtures.text("optimize-lenet5.console.txt"));
    }
}
