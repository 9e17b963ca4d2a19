package dev.verdant.report.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsTextTest {

    /** The facts {@code MagnitudePruner} reports, in its order. */
    private static Map<String, Object> pruneFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("target", "0.5");
        facts.put("weights", 61470L);
        facts.put("zeros", 30735L);
        facts.put("sparsity", 0.5);
        facts.put("layers", List.of(layer("conv1.weight", "conv1", "Conv", 150, 24),
                layer("fc1.weight", "fc1", "Gemm", 48000, 26425)));
        facts.put("skipped", List.of());
        return facts;
    }

    private static Map<String, Object> layer(String tensor, String node, String op, long params, long zeros) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tensor", tensor);
        row.put("node", node);
        row.put("op", op);
        row.put("params", params);
        row.put("zeros", zeros);
        row.put("sparsity", (double) zeros / params);
        return row;
    }

    @Test
    void plainFactsComeOneALineWithAlignedKeysThenTablesUnderTheirKey() {
        assertThat(FactsText.lines(pruneFacts(), "  ")).containsExactly(
                "  target    0.5",
                "  weights   61,470",
                "  zeros     30,735",
                "  sparsity  50.00%",
                "  skipped   none",
                "  layers (2)",
                "    tensor        node   op    params   zeros  sparsity",
                "    conv1.weight  conv1  Conv     150      24    16.00%",
                "    fc1.weight    fc1    Gemm  48,000  26,425    55.05%");
    }

    @Test
    void factsThatLostTheirOrderAreShownByKeySoRelatedOnesSitTogether() {
        Map<String, Object> unordered = Map.of("retrainSteps", 47L, "sparsity", 0.9, "retrainSeconds", 2.4,
                "retrainAccuracyAfter", 0.8);

        assertThat(FactsText.lines(unordered, "")).containsExactly(
                "retrainAccuracyAfter  80.00%",
                "retrainSeconds        2.4 s",
                "retrainSteps          47",
                "sparsity              90.00%");
    }

    @Test
    void numbersAreFormattedByWhatTheirKeySays() {
        assertThat(FactsText.scalar("packedBytes", 73_380L)).isEqualTo("73.38 kB");
        assertThat(FactsText.scalar("trainingEnergyJoules", 1234.5)).isEqualTo("1.23 kJ");
        assertThat(FactsText.scalar("retrainEnergyJoules", 0.42)).isEqualTo("0.42 J");
        assertThat(FactsText.scalar("distillSeconds", 316.24)).isEqualTo("316 s");
        assertThat(FactsText.scalar("compressionRatio", 3.3912)).isEqualTo("3.39x");
        assertThat(FactsText.scalar("weightReduction", 10.0)).isEqualTo("10x");
        assertThat(FactsText.scalar("macsRatio", 0.24391)).isEqualTo("0.244x");
        assertThat(FactsText.scalar("fraction", 0.25)).isEqualTo("25.00%");
        assertThat(FactsText.scalar("retrainAccuracyAfter", 0.9022)).isEqualTo("90.22%");
        assertThat(FactsText.scalar("int8StaticAccuracy", 0.8)).isEqualTo("80.00%");
        assertThat(FactsText.scalar("sharedValidationAccuracy", 0.885)).isEqualTo("88.50%");
        assertThat(FactsText.scalar("heldOutMinCosineAfter", 0.98765432)).isEqualTo("0.98765");
        assertThat(FactsText.scalar("studentMacsPerExample", 101_632L)).isEqualTo("101,632");
        assertThat(FactsText.scalar("meanAbsError", 0.000_012_345)).isEqualTo("1.23e-05");
        assertThat(FactsText.scalar("relativeErrorPlain", 0.123456)).isEqualTo("0.123");
        assertThat(FactsText.scalar("converged", true)).isEqualTo("yes");
        assertThat(FactsText.scalar("ffn", 0.5)).isEqualTo("0.5");
    }

    @Test
    void nestedMapsAreIndentedUnderTheirKeyAndSmallOnesStayOnOneLine() {
        Map<String, Object> bits = new LinkedHashMap<>();
        bits.put("conv1.weight", 8);
        bits.put("fc1.weight", 5);
        Map<String, Object> prune = new LinkedHashMap<>();
        prune.put("weights", 61470L);
        prune.put("weightReduction", 10.0);
        prune.put("layers", List.of(layer("fc1.weight", "fc1", "Gemm", 48000, 43200)));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("prune", prune);
        facts.put("bits", bits);
        facts.put("trainingEnergyJoules", 392.4);

        assertThat(FactsText.lines(facts, "")).containsExactly(
                "bits                  conv1.weight 8, fc1.weight 5",
                "trainingEnergyJoules  392 J",
                "prune",
                "  weights          61,470",
                "  weightReduction  10x",
                "  layers (1)",
                "    tensor      node  op    params   zeros  sparsity",
                "    fc1.weight  fc1   Gemm  48,000  43,200    90.00%");
    }

    @Test
    void longListsAndTablesAreCutWithHowManyMore() {
        List<Double> losses = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            losses.add(1.0 / (i + 1));
            rows.add(layer("t" + i, "n" + i, "MatMul", 100, i));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("epochLosses", losses);
        facts.put("layers", rows);

        List<String> lines = FactsText.lines(facts, "");
        assertThat(lines.get(0)).isEqualTo("epochLosses  1, 0.5, 0.333, 0.25, 0.2, 0.167, 0.143, 0.125, ... (17 more)");
        assertThat(lines).hasSize(1 + 1 + 1 + FactsText.MAX_ROWS + 1);
        assertThat(lines.get(1)).isEqualTo("layers (25)");
        assertThat(lines.getLast()).isEqualTo("  ... (15 more)");
    }

    @Test
    void aLongMapOfNumbersIsCutButALongMapOfNamedFactsIsShownWhole() {
        Map<String, Object> bits = new LinkedHashMap<>();
        Map<String, Object> distill = new LinkedHashMap<>();
        for (int i = 0; i < 15; i++) {
            bits.put("layer" + i, 5);
            distill.put("fact" + i, i % 2 == 0 ? "text" : i);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("bits", bits);

        assertThat(FactsText.lines(facts, "")).hasSize(1 + FactsText.MAX_ROWS + 1).last()
                .isEqualTo("  ... (5 more)");
        assertThat(FactsText.lines(distill, "")).hasSize(15);
    }

    @Test
    void rowsWithDifferentKeysShareOneHeaderAndLongNamesKeepTheirEnd() {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("unit", "/encoder/layer.0/intermediate/dense/MatMul/with/a/very/long/path");
        plain.put("relativeErrorPlain", 0.5);
        Map<String, Object> reconstructed = new LinkedHashMap<>(plain);
        reconstructed.put("unit", "heads.0");
        reconstructed.put("relativeErrorReconstructed", 0.25);

        List<String> lines = FactsText.lines(Map.of("units", List.of(plain, reconstructed)), "");
        assertThat(lines.get(1)).matches("  unit {46}relativeErrorPlain  relativeErrorReconstructed");
        assertThat(lines.get(2)).startsWith("  ...").contains("/very/long/path").endsWith("0.5");
        assertThat(lines.get(2).indexOf("0.5") + 3).isEqualTo(lines.get(1).indexOf("relativeErrorPlain") + 18);
        assertThat(lines.get(3)).endsWith("0.25");

        Map<String, Object> scores = new LinkedHashMap<>();
        for (int bits = 2; bits <= 8; bits++) {
            scores.put(bits + "bit", (90.0 + bits) / 100);
        }
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("tensor", "fc1.weight");
        choice.put("validationAccuracyByBits", scores);
        // a map named for what its values are (accuracies) formats them all that way
        assertThat(FactsText.lines(Map.of("layers", List.of(choice)), "").get(2)).endsWith("fc1.weight  2bit 92.00%, "
                + "3bit 93.00%, 4bit 94.00%, 5bit 95.00%, 6bit 96.00%, 7bit 97.00%, 8bit 98.00%");
    }
}
