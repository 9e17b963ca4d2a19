package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliTest {

    @Test
    void helpListsTheSubcommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("inspect").contains("Exit codes");
    }

    @Test
    void versionIsTheBuildsVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("verdant " + VersionProvider.version());
        assertThat(VersionProvider.version()).doesNotContain("${").isNotEqualTo("unknown");
    }

    @Test
    void aSubcommandsVersionIsTheBuildsVersion() {
        CliRun run = CliRun.of("compress", "--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("verdant " + VersionProvider.version());
    }

    @Test
    void everySubcommandsHelpRendersWithoutPicocliWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String name : Cli.create(new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(new java.io.StringWriter())).getSubcommands().keySet()) {
                CliRun run = CliRun.of(name, "--help");
                assertThat(run.exitCode()).as(name).isZero();
                assertThat(run.out()).as(name).contains("Usage: verdant " + name);
            }
        } finally {
            System.setErr(original);
        }
        // an unescaped '%' in a description makes picocli print a warning on System.err
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void unknownCommandIsUsageError() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).startsWith("verdant: Unmatched argument");
        assertThat(run.err()).doesNotContain("Exception");
    }

    @Test
    void noCommandIsUsageError() {
        assertThat(CliRun.of().exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    }

    @Test
    void exceptionsMapToExitCodes() {
        assertThat(Cli.exitCodeOf(new IllegalArgumentException("x"))).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Cli.exitCodeOf(new java.io.UncheckedIOException(new java.io.IOException("x"))))
                .isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Cli.exitCodeOf(new CheckFailedException("x"))).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(Cli.oneLine(new IllegalStateException("two\nlines"))).isEqualTo("two lines");
    }
}
