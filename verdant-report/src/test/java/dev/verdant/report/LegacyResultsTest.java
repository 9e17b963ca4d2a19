package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Json;
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

    @ParameterizedTest
    @ValueSource(strings = {"compress-int8-dynamic", "compress-without-kind", "bench-minilm-int8-vs-minilm"})
    void aResultOfSchemaOneIsLiftedIntoTheSchemaTwoLayoutAndRoundTrips(String name) {
        Result result = ReportJson.parseResult(resource(name + ".json"), name);

        assertThat(result.schemaVersion()).isEqualTo(Result.SCHEMA_VERSION);
        assertThat(result.compression() != null).isEqualTo(result.kind().equals(Result.COMPRESS));
        assertThat(result.bench() != null).isEqualTo(result.kind().equals(Result.BENCH));
        assertThat(result.run().tool()).isEqualTo("verdant " + result.kind());
        if (result.compression() != null) {
            // recorded since issue 25: a file from before has none, read as empty
            assertThat(result.compression().original().bytesByType()).isEmpty();
            assertThat(result.compression().compressed().bytesByType()).isEmpty();
        }
        String written = ReportJson.write(result);
        assertThat(ReportJson.parseResult(written, "written again")).isEqualTo(result);
        assertThat(ReportJson.parse(written, "written again")).isEqualTo(ReportJson.parse(resource(name + ".json"), name));
        assertThat(Json.write(result)).isEqualTo(written);
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
