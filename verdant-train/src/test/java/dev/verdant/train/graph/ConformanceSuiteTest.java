package dev.verdant.train.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.train.op.OpRegistry;
import dev.verdant.train.op.OpSupport;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every op the registry claims passes all the ONNX backend node tests that use only claimed ops. */
class ConformanceSuiteTest {

    @Test
    void everyClaimedOpPassesItsNodeTests() {
        SystemDataAssumptions.assumeInstalled(SystemData.ONNX_NODE_TESTS);
        Path tests = ConformanceSuite.installedTests().orElseThrow();
        OpRegistry registry = OpRegistry.standard();
        ConformanceSuite.Report report = new ConformanceSuite(registry).run(tests);
        Map<String, ConformanceSuite.OpResult> byOp = report.byOp();
        String failures = byOp.values().stream().filter(r -> !r.failed().isEmpty())
                .map(r -> r.op() + " " + r.failed()).collect(Collectors.joining("\n"));
        System.out.println("conformance: " + report.count(ConformanceSuite.Outcome.PASSED) + " passed, "
                + report.count(ConformanceSuite.Outcome.FAILED) + " failed, "
                + report.count(ConformanceSuite.Outcome.REJECTED) + " rejected up front, " + report.skipped()
                + " skipped (unclaimed ops)");
        assertThat(failures).as("failing node tests").isEmpty();
        // the suite is only worth something if it exercised the core ops
        for (String op : new String[] {"Conv", "MatMul", "Gemm", "Softmax", "BatchNormalization", "MaxPool",
                "AveragePool", "Gather", "Slice", "Reshape", "QuantizeLinear", "DequantizeLinear"}) {
            assertThat(byOp.get(op)).as(op).isNotNull();
            assertThat(byOp.get(op).passed()).as(op + " passed cases").isPositive();
        }
        for (OpSupport op : registry.all()) {
            ConformanceSuite.OpResult result = byOp.get(op.displayName());
            if (result != null) {
                assertThat(result.failed()).as(op.displayName()).isEmpty();
            }
        }
    }
}
