package dev.verdant.report;

import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.ModelEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Real results for the report tests: the JSON of an actual {@code verdant bench} run (its command line is inside)
 * of the built-in MiniLM int8 against fp32 on WordNet glosses, and the test resources beside it.
 */
final class ReportFixtures {

    static final String BENCH_RESOURCE = "bench-minilm-int8-vs-minilm.json";
    static final String HOSTILE_NAME = "<script>alert('x')</script>&\"model\"";

    private ReportFixtures() {
    }

    static String realBenchJson() {
        return text(BENCH_RESOURCE);
    }

    /** A test resource of this package as text. */
    static String text(String resource) {
        try (InputStream in = ReportFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Report realBench() {
        return ReportJson.parse(realBenchJson(), BENCH_RESOURCE);
    }

    /** The real bench result with the tested model renamed to markup, as a malicious file name could be. */
    static Report realBenchWithHostileName() {
        Report report = realBench();
        String tested = report.models().get(0).name();
        List<ModelEntry> models = report.models().stream().map(m -> !m.name().equals(tested) ? m
                : new ModelEntry(HOSTILE_NAME, m.role(), m.sizeBytes(), m.params(), m.quantizedParams(), m.macs(),
                        m.flops(), m.trainingEnergyJoules())).toList();
        List<Candidate> candidates = report.candidates().stream().map(c -> !c.model().equals(tested) ? c
                : new Candidate(c.name().replace(tested, HOSTILE_NAME), HOSTILE_NAME, c.configuration(), c.accuracy(),
                        c.accuracyMetric(), c.sizeBytes(), c.latencyMillis(), c.p50Millis(), c.p99Millis(),
                        c.inferencesPerSecond(), c.peakResidentBytes(), c.energyJoulesPerInference(),
                        c.co2eGramsPerMillionInferences(), c.energyMethod(), c.pareto())).toList();
        Report.GreenAiCard card = report.card();
        Report.GreenAiCard hostileCard = new Report.GreenAiCard(HOSTILE_NAME, card.accuracy(), card.accuracyMetric(),
                card.params(), card.macs(), card.flops(), card.energyJoulesPerInference(), card.energyMethod(),
                card.co2eGramsPerMillionInferences(), card.trainingEnergyJoules(), card.hardware());
        return new Report(report.kind(), report.schemaVersion(), HOSTILE_NAME + " report", report.run(),
                report.machine(), models, candidates, report.layers(), hostileCard, report.energy(),
                report.findings(), report.notes());
    }
}
