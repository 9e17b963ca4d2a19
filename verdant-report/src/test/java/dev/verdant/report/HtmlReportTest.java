package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.LayerRow;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void pageIsSelfContained() {
        String html = HtmlReport.render(ReportFixtures.realBench());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").contains("Content-Security-Policy")
                .doesNotContain("<script").doesNotContain("<link rel=\"stylesheet\"").doesNotContain("@import")
                .doesNotContainPattern("(src|href)=\"(https?:)?//");
        // the only URLs are SVG's namespace name, which is an identifier, never fetched
        Matcher urls = Pattern.compile("https?://[^\"'\\s<]+").matcher(html);
        while (urls.find()) {
            assertThat(urls.group()).isEqualTo("http://www.w3.org/2000/svg");
        }
    }

    @Test
    void paretoChartHasOnePointPerCandidateAndFillsTheFront() {
        Report report = ReportFixtures.realBench();
        String html = HtmlReport.render(report);
        assertThat(count(html, "<circle class=\"point")).isEqualTo(report.candidates().size());
        List<Candidate> flagged = ParetoFront.flag(report.candidates(), ParetoFront.choose(report.candidates()).orElseThrow());
        long front = flagged.stream().filter(Candidate::pareto).count();
        assertThat(front).isPositive();
        assertThat(count(html, "<circle class=\"point front\"")).isEqualTo(front);
        assertThat(html).contains(front + " of " + report.candidates().size() + " candidates are on the front");
        for (Candidate c : flagged) {
            assertThat(html).contains(HtmlText.escape(c.name()));
        }
    }

    @Test
    void everyTextFromTheResultsIsEscaped() {
        String html = HtmlReport.render(ReportFixtures.realBenchWithHostileName());
        assertThat(html).doesNotContain("<script>").doesNotContain("alert('x')")
                .contains(HtmlText.escape(ReportFixtures.HOSTILE_NAME));
    }

    @Test
    void layersAndAccuracyShowWhenTheResultsHaveThem() {
        Report bench = ReportFixtures.realBench();
        List<Candidate> withAccuracy = bench.candidates().stream().map(c -> new Candidate(c.name(), c.model(),
                c.configuration(), 0.9, "top-1 accuracy", c.sizeBytes(), c.latencyMillis(), c.p50Millis(), c.p99Millis(),
                c.inferencesPerSecond(), c.peakResidentBytes(), c.energyJoulesPerInference(),
                c.co2eGramsPerMillionInferences(), c.energyMethod(), false)).toList();
        Report report = new Report(Report.KIND, Report.SCHEMA_VERSION, "with layers", bench.run(), bench.machine(),
                bench.models(), withAccuracy, List.of(new LayerRow("/encoder/layer.0/MatMul", "MatMul", 147_456L, 0.5,
                        8, 18_874_368L)), bench.card(), bench.energy(), bench.findings(), bench.notes());
        String html = HtmlReport.render(report);
        assertThat(html).contains("/encoder/layer.0/MatMul").contains("147,456").contains("50.00%")
                .contains("18,874,368").contains("accuracy / fidelity (%)").doesNotContain("No per-layer figures");
    }

    private static long count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
