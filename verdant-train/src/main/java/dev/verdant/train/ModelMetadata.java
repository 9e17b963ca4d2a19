package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rewrites the provenance a model carries in its ONNX {@code metadata_props}, keeping the entries others wrote. */
public final class ModelMetadata {

    private ModelMetadata() {
    }

    /**
     * {@code model} with {@code entries} added to its {@code metadata_props}: an existing key keeps its place and
     * takes the new value, a new key goes last, every other entry stays as it was.
     */
    public static ModelProto withEntries(ModelProto model, Map<String, String> entries) {
        Map<String, String> merged = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
        merged.putAll(entries);
        ModelProto.Builder builder = model.toBuilder().clearMetadataProps();
        merged.forEach((key, value) -> builder.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return builder.build();
    }
}
