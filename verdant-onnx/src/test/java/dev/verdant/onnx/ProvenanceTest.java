package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    private static ModelProto withProps(String... keysAndValues) {
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(8).setGraph(GraphProto.newBuilder().setName("g"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(keysAndValues[i]).setValue(keysAndValues[i + 1]));
        }
        return model.build();
    }

    @Test
    void aMergeKeepsThePlaceOfAnExistingKeyAndPutsNewKeysLast() {
        ModelProto model = withProps("author", "someone", "verdant.train.epochs", "3");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("verdant.compress.recipe", "fuse");
        entries.put("verdant.train.epochs", "5");
        ModelProto merged = Provenance.withEntries(model, entries);
        assertThat(OnnxGraph.of(merged).metadata()).containsExactly(Map.entry("author", "someone"),
                Map.entry("verdant.train.epochs", "5"), Map.entry("verdant.compress.recipe", "fuse"));
        assertThat(merged.getGraph()).isEqualTo(model.getGraph());
    }

    @Test
    void anOldModelsKeysReadUnderTheOneScheme() {
        ModelProto old = withProps("verdant.recipe", "int8-dynamic", "verdant.source_sha256", "ab", "verdant.arch", "lenet5",
                "verdant.train.epochs", "2", "author", "someone");
        assertThat(Provenance.read(old)).containsExactly(Map.entry("verdant.compress.recipe", "int8-dynamic"),
                Map.entry("verdant.compress.source_sha256", "ab"), Map.entry("verdant.zoo.arch", "lenet5"),
                Map.entry("verdant.train.epochs", "2"), Map.entry("author", "someone"));
        assertThat(Provenance.get(old, Provenance.COMPRESS, "recipe")).contains("int8-dynamic");
        ModelProto both = withProps("verdant.compress.recipe", "new", "verdant.recipe", "old");
        assertThat(Provenance.get(both, Provenance.COMPRESS, "recipe")).contains("new");
        assertThat(Provenance.key(Provenance.ZOO, "arch")).isEqualTo("verdant.zoo.arch");
    }
}
