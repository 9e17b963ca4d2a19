package dev.verdant.cli.command;

import dev.verdant.cli.CheckFailedException;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.train.graph.ConformanceSuite;
import dev.verdant.train.op.OpRegistry;
import dev.verdant.train.op.OpSupport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verdant ops}: the ONNX operators the training interpreter runs, with their opset range and their result
 * on the ONNX backend node tests, run live when the tests are installed.
 */
@Command(
        name = "ops",
        header = "List the ONNX operators the training interpreter supports, with conformance results.",
        mixinStandardHelpOptions = true,
        description = "List the ONNX operators the training interpreter supports, with opset range and the result "
                + "of the ONNX backend node tests (run now from Debian's libonnx-testdata when installed).",
        footer = {"", "Exit code 1 when a supported op fails one of its node tests."})
public final class OpsCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Option(names = "--tests", paramLabel = "DIR",
            description = "Folder of ONNX node tests (test_*/model.onnx); default: "
                    + "/usr/share/libonnx-testdata/data/node when installed.")
    Path tests;

    @Option(names = "--no-conformance", description = "List the ops without running the node tests.")
    boolean noConformance;

    @Option(names = "--details", description = "Also list every failing and rejected test case with its reason.")
    boolean details;

    /**
     * One op in the listing.
     *
     * @param op           the op type (prefixed by its domain outside the default one)
     * @param domain       {@code ai.onnx} or the custom domain
     * @param sinceOpset   first supported opset version
     * @param untilOpset   last supported opset version
     * @param testsPassed  node tests passed, null when the suite did not run
     * @param testsTotal   node tests run (passed + failed), null when the suite did not run
     * @param failures     failing tests with the reason
     * @param rejected     tests refused up front (an attribute or type combination the kernel does not claim)
     */
    record OpRow(String op, String domain, int sinceOpset, int untilOpset, Integer testsPassed, Integer testsTotal,
            List<String> failures, List<String> rejected) {
    }

    /**
     * The whole listing.
     *
     * @param testsDirectory where the node tests came from, null when not run
     * @param testsPassed    cases passed over all ops
     * @param testsFailed    cases failed
     * @param testsRejected  cases refused up front
     * @param testsSkipped   tests not run because their model uses an unsupported op
     * @param ops            one row per supported op
     */
    record Listing(String testsDirectory, Long testsPassed, Long testsFailed, Long testsRejected, Integer testsSkipped,
            List<OpRow> ops) {
    }

    @Override
    public Integer call() {
        OpRegistry registry = OpRegistry.standard();
        Optional<Path> directory = testsDirectory();
        Optional<ConformanceSuite.Report> report = directory.map(d -> new ConformanceSuite(registry).run(d));
        Map<String, ConformanceSuite.OpResult> byOp = report.map(ConformanceSuite.Report::byOp).orElse(Map.of());
        List<OpRow> rows = new ArrayList<>();
        for (OpSupport op : registry.all()) {
            ConformanceSuite.OpResult result = byOp.get(op.displayName());
            Integer passed = report.isEmpty() ? null : result == null ? 0 : result.passed();
            Integer total = report.isEmpty() ? null : result == null ? 0 : result.total();
            rows.add(new OpRow(op.displayName(), op.domain().isEmpty() ? "ai.onnx" : op.domain(), op.sinceVersion(),
                    op.untilVersion(), passed, total, result == null ? List.of() : result.failed(),
                    result == null ? List.of() : result.rejected()));
        }
        Listing listing = new Listing(directory.map(Path::toString).orElse(null),
                report.map(r -> r.count(ConformanceSuite.Outcome.PASSED)).orElse(null),
                report.map(r -> r.count(ConformanceSuite.Outcome.FAILED)).orElse(null),
                report.map(r -> r.count(ConformanceSuite.Outcome.REJECTED)).orElse(null),
                report.map(ConformanceSuite.Report::skipped).orElse(null), rows);
        output.print(listing, out -> printTable(out, listing));
        List<String> failing = rows.stream().filter(r -> !r.failures().isEmpty()).map(OpRow::op).toList();
        if (!failing.isEmpty()) {
            throw new CheckFailedException(failing.size() + " supported ops fail node tests: " + failing);
        }
        return ExitCode.OK;
    }

    private Optional<Path> testsDirectory() {
        if (noConformance) {
            return Optional.empty();
        }
        if (tests != null) {
            if (!Files.isDirectory(tests)) {
                throw new IllegalArgumentException("--tests " + tests + " is not a folder of ONNX node tests");
            }
            return Optional.of(tests);
        }
        return ConformanceSuite.installedTests();
    }

    private void printTable(PrintWriter out, Listing listing) {
        out.printf("%-24s %-8s %-7s %s%n", "OP", "DOMAIN", "OPSETS", "NODE TESTS");
        for (OpRow row : listing.ops()) {
            String tests;
            if (row.testsTotal() == null) {
                tests = "not run";
            } else if (row.testsTotal() == 0 && row.rejected().isEmpty()) {
                tests = "no node tests";
            } else {
                tests = row.testsPassed() + "/" + row.testsTotal() + " passed"
                        + (row.rejected().isEmpty() ? "" : ", " + row.rejected().size() + " rejected up front");
            }
            out.printf("%-24s %-8s %-7s %s%n", row.op(), row.domain(), row.sinceOpset() + "-" + row.untilOpset(),
                    tests);
            if (details) {
                row.failures().forEach(f -> out.println("    FAILED   " + f));
                row.rejected().forEach(r -> out.println("    REJECTED " + r));
            }
        }
        out.println();
        if (listing.testsDirectory() == null) {
            out.printf("%d ops supported; node tests not run (%s)%n", listing.ops().size(), noConformance
                    ? "--no-conformance" : "install libonnx-testdata or pass --tests DIR");
        } else {
            out.printf("%d ops supported; ONNX node tests from %s: %d passed, %d failed, %d rejected up front "
                    + "(unsupported attribute or type combinations%s), %d not run (their models use unsupported ops)%n",
                    listing.ops().size(), listing.testsDirectory(), listing.testsPassed(), listing.testsFailed(),
                    listing.testsRejected(), details ? "" : "; --details lists them", listing.testsSkipped());
        }
    }
}
