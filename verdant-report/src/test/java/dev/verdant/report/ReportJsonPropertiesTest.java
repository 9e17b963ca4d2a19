package dev.verdant.report;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdant.io.Json;
import dev.verdant.io.Mutations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link ReportJson} on any results file: a report that renders as a page, or an {@link IllegalArgumentException}
 * on one line. Inputs are the real results files of the tests with bytes edited (mostly broken JSON), with one to
 * three values swapped for a hostile one (null, a negative or huge number, a string where a number belongs, an
 * array, a line break in a name: JSON that parses but is not a result), and any text.
 */
class ReportJsonPropertiesTest {

    private static final List<String> FILES = List.of("bench-minilm-int8-vs-minilm.json",
            "compress-minilm-prune-share.json", "optimize-lenet5.json", "optimize-lenet5.report.json",
            "track-busy-shell.json", "legacy/bench-minilm-int8-vs-minilm.json", "legacy/compress-int8-dynamic.json",
            "legacy/optimize-lenet5.report.json");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> HOSTILE = List.of(NODES.nullNode(), NODES.numberNode(-1),
            NODES.numberNode(0), NODES.numberNode(1e308), NODES.numberNode(Long.MAX_VALUE), NODES.textNode(""),
            NODES.textNode("two\nlines"), NODES.textNode("NaN"), NODES.booleanNode(true), NODES.arrayNode(),
            NODES.objectNode(), NODES.numberNode(99));

    @Test
    void anyResultsFileRendersOrFailsOnOneLine() {
        List<String> valid = FILES.stream().map(ReportFixtures::text).toList();
        Gen<String> swapped = Generate.pick(valid).zip(SourceDSL.lists().of(swap()).ofSizeBetween(1, 3),
                ReportJsonPropertiesTest::swapValues);
        forAll(200, Generate.oneOf(swapped, Mutations.ofText(valid), Mutations.anyText(40)), json ->
                parsesOrRefuses(() -> ReportJson.parse(json, "results.json"), IllegalArgumentException.class)
                        .ifPresent(report -> assertThat(HtmlReport.render(report)).contains("</html>")));
    }

    @Test
    void aKindWithALineBreakIsQuotedOnOneLine() {
        // found by the property: the kind was echoed as it was, line break and all
        assertThatThrownBy(() -> ReportJson.parse("{\"kind\": \"two\\nlines\", \"schema_version\": 1}", "r.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("r.json has kind 'two\\nlines'; a results file has kind");
    }

    @Test
    void anOptimizeResultWithoutItsObjectiveIsRefused() throws Exception {
        // found by the property: a null objective (or a chosen point not among the points) was a NullPointerException
        // (a NoSuchElementException) while the page was built
        ObjectNode root = (ObjectNode) Json.mapper().readTree(ReportFixtures.text("optimize-lenet5.json"));
        ((ObjectNode) root.path("search")).putNull("objective");
        assertThatThrownBy(() -> ReportJson.parse(root.toString(), "r.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("r.json is an optimize result without its objective");
        ObjectNode chosen = (ObjectNode) Json.mapper().readTree(ReportFixtures.text("optimize-lenet5.json"));
        ((ObjectNode) chosen.path("search")).put("chosen", "nowhere");
        assertThatThrownBy(() -> ReportJson.parse(chosen.toString(), "r.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chosen or original operating point is not among its points");
    }

    @Test
    void aBenchResultWithoutAModelLabelIsRefused() throws Exception {
        // found by the property: a model without its label was a NullPointerException while the page was built
        ObjectNode root = (ObjectNode) Json.mapper().readTree(ReportFixtures.text("bench-minilm-int8-vs-minilm.json"));
        ((ObjectNode) root.path("models").get(0)).putNull("label");
        assertThatThrownBy(() -> ReportJson.parse(root.toString(), "r.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("r.json is an incomplete bench result: a value the page is built from is missing or null");
    }

    /** Which value (a fraction of all of them) becomes which hostile one. */
    private record Swap(double at, int hostile) {
    }

    private static Gen<Swap> swap() {
        return SourceDSL.doubles().between(0, 1).zip(Generate.range(0, HOSTILE.size() - 1), Swap::new);
    }

    private static String swapValues(String json, List<Swap> swaps) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a test resource is not JSON", e);
        }
        for (Swap swap : swaps) {
            List<Map.Entry<ContainerNode<?>, Object>> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                break;
            }
            Map.Entry<ContainerNode<?>, Object> slot = slots.get((int) (swap.at() * (slots.size() - 1)));
            JsonNode value = HOSTILE.get(swap.hostile());
            if (slot.getKey() instanceof ObjectNode object) {
                object.set((String) slot.getValue(), value);
            } else {
                ((ArrayNode) slot.getKey()).set((Integer) slot.getValue(), value);
            }
        }
        return root.toString();
    }

    /** Every place a value sits: an object and its key, or an array and its index. */
    private static void collect(JsonNode node, List<Map.Entry<ContainerNode<?>, Object>> slots) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                slots.add(Map.entry(object, field.getKey()));
                collect(field.getValue(), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(Map.entry(array, i));
                collect(array.get(i), slots);
            }
        }
    }
}
