package dev.verdant.report.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.report.Compression;
import dev.verdant.report.Compression.Accuracy;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Compression.EnergyPerThousand;
import dev.verdant.report.Compression.Latency;
import dev.verdant.report.Compression.ModelFigures;
import dev.verdant.report.Compression.StepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CompressionTextTest {

    private static final ModelFigures LENET5 = new ModelFigures(248_750, 61_706, 0, 6_664_320, 0, 13, Map.of());
    private static final ModelFigures LENET5_INT8 = new ModelFigures(73_380, 3_000, 58_920, 6_664_320, 0, 13,
            Map.of());

    private static Compression report(List<StepReport> steps, ModelFigures compressed, Latency latency) {
        return new Compression("lenet5.onnx", "lenet5-int8.onnx", "prune:0.5,int8-dynamic", steps, LENET5,
                compressed, 3.39, latency, null, new Accuracy(500, 0.72, 0.684, 3.6),
                new EnergyPerThousand(0.4, 0.2, "estimated"), List.of(),
                List.of(new Check("max-accuracy-drop", 5, 3.6, true)), Map.of(), List.of());
    }

    private static String print(Compression report) {
        StringWriter out = new StringWriter();
        try (PrintWriter console = new PrintWriter(out)) {
            CompressionText.print(console, report);
        }
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void theAccuracyDifferenceComesWithItsPairedMarginWhenTheDisagreementsAreKnown() {
        // 30 examples only the original got right, 12 only the compressed one: mean difference -0.036 over 500,
        // variance 42/500 - 0.036^2 = 0.082704, margin 1.96 * sqrt(0.082704 / 500) = 2.52 points
        Accuracy paired = new Accuracy(500, 0.72, 0.684, 3.6, 30, 12);
        assertThat(paired.marginPoints()).hasValueCloseTo(2.5208, org.assertj.core.data.Offset.offset(1e-3));
        Compression base = report(List.of(), LENET5_INT8, null);
        Compression withMargin = new Compression(base.input(), base.output(), base.recipe(), base.steps(),
                base.original(), base.compressed(), base.sizeRatio(), base.latency(), base.fidelity(), paired,
                base.energy(), base.sensitivity(), base.checks(), base.provenance(), base.outputs());
        assertThat(print(withMargin))
                .contains("accuracy             72.00%         68.40%   -3.60 +- 2.52 points over 500 examples "
                        + "(95% interval, paired)");
        // no disagreement at all: no uncertainty in the difference; none recorded: no margin claimed
        assertThat(new Accuracy(256, 0.9, 0.9, 0, 0, 0).marginPoints()).hasValue(0.0);
        Compression same = new Compression(base.input(), base.output(), base.recipe(), base.steps(),
                base.original(), base.compressed(), base.sizeRatio(), base.latency(), base.fidelity(),
                new Accuracy(256, 0.9, 0.9, 0.0, 0, 0), base.energy(), base.sensitivity(), base.checks(),
                base.provenance(), base.outputs());
        assertThat(print(same)).contains("+0.00 +- 0.00 points over 256 examples").doesNotContain("-0.00");
        assertThat(new Accuracy(256, 0.9, 0.9, 0).marginPoints()).isEmpty();
    }

    @Test
    void eachStepsFactsComeIndentedUnderItOneALine() {
        Map<String, Object> quantized = new LinkedHashMap<>();
        quantized.put("quantized", Map.of("DynamicQuantizeMatMul", 3));
        quantized.put("keptFloat", List.of());
        quantized.put("weights", "int8 symmetric per-channel");
        Map<String, Object> pruned = new LinkedHashMap<>();
        pruned.put("target", "0.5");
        pruned.put("sparsity", 0.5);

        String text = print(report(List.of(new StepReport("prune:0.5", pruned),
                new StepReport("int8-dynamic", quantized)), LENET5_INT8, null));

        assertThat(text).startsWith("""
                Recipe     prune:0.5,int8-dynamic
                  prune:0.5
                    target    0.5
                    sparsity  50.00%
                  int8-dynamic
                    quantized  DynamicQuantizeMatMul 3
                    keptFloat  none
                    weights    int8 symmetric per-channel

                """).doesNotContain("{").doesNotContain("=");
        assertThat(text).contains("accuracy             72.00%         68.40%   -3.60 points over 500 examples")
                .contains("Check      max-accuracy-drop 5.0: held").endsWith("Wrote      lenet5-int8.onnx\n");
    }

    /**
     * The stored tensors by type sit under the size row, one row a type, the original's largest first, so a table
     * left in float shows beside the int8 ones; a record without them (written before they were recorded) has none.
     */
    @Test
    void bytesByTypeShowWhatStayedFloat() {
        Map<String, Long> fp32 = new TreeMap<>(Map.of("float", 246_824L, "int64", 40L));
        Map<String, Long> int8 = new TreeMap<>(Map.of("float", 12_000L, "int8", 58_920L, "int64", 40L));
        ModelFigures before = new ModelFigures(248_750, 61_706, 0, 6_664_320, 0, 13, fp32);
        ModelFigures after = new ModelFigures(73_380, 3_000, 58_920, 6_664_320, 0, 13, int8);
        Compression withTypes = new Compression("lenet5.onnx", "lenet5-int8.onnx", "int8-dynamic", List.of(), before,
                after, 3.39, null, null, null, null, List.of(), List.of(), Map.of(), List.of());

        assertThat(print(withTypes)).contains("""
                size              248.75 kB       73.38 kB   3.39x smaller
                  float           246.82 kB       12.00 kB   stored tensors by type
                  int64                40 B           40 B
                  int8                  0 B       58.92 kB
                params""");
        assertThat(CompressionText.bytesByTypeRows(report(List.of(), LENET5_INT8, null))).isEmpty();
    }

    @Test
    void theMacsRowSaysItCountsInt8LikeFloatAndThePaddedShapeAfterUnpad() {
        Latency latency = new Latency(1, "16x128", 10, 5, 2, 10);
        String int8 = print(report(List.of(new StepReport("int8-dynamic", Map.of())), LENET5_INT8, latency));
        assertThat(macsRow(int8)).endsWith("per batch of 16x128; float and int8 products counted alike")
                .doesNotContain("unpad");
        assertThat(int8).contains("params              61.71 k        3.000 k   float; integer (8-bit or narrower): "
                + "58.92 k in the compressed");

        String unpadded = print(report(List.of(new StepReport("int8-dynamic", Map.of()),
                new StepReport("unpad", Map.of())), LENET5_INT8, latency));
        assertThat(macsRow(unpadded)).contains("at the padded shape: what unpad skips is still counted");

        String floatOnly = print(report(List.of(new StepReport("prune:0.5", Map.of())), LENET5, null));
        assertThat(macsRow(floatOnly)).endsWith("   per check batch").doesNotContain("int8");
        assertThat(floatOnly).contains("params              61.71 k        61.71 k\n");
    }

    private static String macsRow(String text) {
        return text.lines().filter(line -> line.startsWith("MACs")).findFirst().orElseThrow();
    }

    @Test
    void eachOutputIsOneRowWithItsMeasuresToleranceAndVerdict() {
        Map<String, Double> logits = new LinkedHashMap<>();
        logits.put("cos", 0.99871);
        logits.put("top1-agree", 0.98);
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("cos", 0.9995);
        map.put("iou@0.5", 0.912);
        Compression report = new Compression("m.onnx", null, "int8-static", List.of(), LENET5, LENET5, 1, null,
                null, null, null, List.of(), List.of(new Check("tolerance logits=top1-agree>=0.99", 0.99, 0.98,
                        false)), Map.of(), List.of(
                        new Compression.OutputRow("logits", "logits", 50, logits, List.of("top1-agree>=0.99"), false,
                                false),
                        new Compression.OutputRow("maps", "probability-map", 50, map, List.of(), null, false)));

        List<String> rows = CompressionText.outputRows(report);

        assertThat(rows.get(1)).isEqualTo("Outputs (over 50 examples)");
        assertThat(rows.get(3)).contains("logits", "cos 0.9987", "top1-agree 0.9800", "top1-agree>=0.99", "FAIL");
        assertThat(rows.get(4)).contains("maps", "probability-map", "iou@0.5 0.9120").endsWith("-");
        assertThat(print(report)).contains("Outputs (over 50 examples)");
        // the page shows each output as a finding
        assertThat(dev.verdant.report.ReportView.of(dev.verdant.report.Result.of(new dev.verdant.report.RunInfo(
                "verdant compress", null, "2026-12-07T14:00:00Z", 1, null), report), "test").findings())
                .anySatisfy(f -> assertThat(f).startsWith("output logits (logits, 50 examples): cos 0.9987")
                        .endsWith("top1-agree>=0.99 FAILED"))
                .anySatisfy(f -> assertThat(f).startsWith("output maps (probability-map, 50 examples)")
                        .doesNotContain("held"));
    }
}
