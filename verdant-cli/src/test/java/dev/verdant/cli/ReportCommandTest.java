package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void benchResultsBecomeOneSelfContainedPage() throws Exception {
        Path results = dir.resolve("results.json");
        CliRun bench = CliRun.of("bench", "minilm-int8", "--baseline", "minilm", "--data", "wordnet-nouns",
                "--seq-len", "16", "--iterations", "2", "--warmup", "0", "--block", "1", "--samples", "4",
                "-o", results.toString());
        assertThat(bench.exitCode()).as(bench.err()).isZero();

        Path page = dir.resolve("site/report.html");
        CliRun report = CliRun.of("report", results.toString(), "-o", page.toString(), "--title", "MiniLM <int8>");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("wrote").contains("2 candidates");
        String html = Files.readString(page);
        assertThat(html).contains("<svg id=\"pareto-chart\"").contains("MiniLM &lt;int8&gt;")
                .contains("minilm-int8 runs").doesNotContain("<script");
        try (var files = Files.list(page.getParent())) {
            assertThat(files).containsExactly(page); // no temporary file left behind
        }

        String before = Files.readString(results);
        CliRun overwrite = CliRun.of("report", results.toString(), "-o", results.toString());
        assertThat(overwrite.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(overwrite.err()).contains("refusing to overwrite the input");
        assertThat(Files.readString(results)).isEqualTo(before);
    }

    @Test
    void badInputsAreOneLineAndWriteNothing() throws Exception {
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{");
        Path out = dir.resolve("out.html");
        String[][] cases = {
            {"report", dir.resolve("missing.json").toString(), "-o", out.toString()},
            {"report", notJson.toString(), "-o", out.toString()},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("verdant: ");
        }
        assertThat(out).doesNotExist();
        assertThat(Files.readString(notJson)).isEqualTo("{");
    }
}
