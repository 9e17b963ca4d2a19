package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results files as the code before the one result record (issue 19) wrote them stay readable: each fixture in
 * {@code legacy/} was written by that code ({@code verdant compress --json}, {@code verdant bench --json},
 * {@code verdant optimize}'s report.json), and beside it is what that code's {@code verdant report --json} made of
 * it. The typed reader must make the same report, figure for figure.
 */
class LegacyResultsTest {

    @ParameterizedTest
    @ValueSource(strings = {"compress-int8-dynamic", "compress-without-kind", "bench-minilm-int8-vs-minilm",
        "optimize-lenet5"})
    void aFileOfSchemaOneReadsAsTheCodeThatWroteItReadIt(String name) {
        Report read = ReportJson.parse(resource(name + ".json"), name);
        Report expected = ReportJson.parse(resource(name + ".report.json"), name + ".report.json");

        assertThat(read).isEqualTo(expected);
        assertThat(read.schemaVersion()).isEqualTo(Report.SCHEMA_VERSION);
        assertThat(read.candidates()).isNotEmpty();
    }

    private static String resource(String file) {
        try (InputStream in = LegacyResultsTest.class.getResourceAsStream("legacy/" + file)) {
            if (in == null) {
                throw new IllegalStateException("legacy/" + file + " missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
