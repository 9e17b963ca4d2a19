package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one pass produced: the new model and facts about what it did (for example per-layer sparsity or bits),
 * which the report shows as they are.
 *
 * @param model the rewritten model
 * @param facts named facts for the report (values are numbers, strings, lists or maps of those), kept in the order
 *              the pass put them (the report shows them in that order), unmodifiable
 */
public record PassOutput(ModelProto model, Map<String, Object> facts) {
    public PassOutput {
        facts.forEach((key, value) -> Objects.requireNonNull(value, () -> "fact " + key + " has no value"));
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts)); // Map.copyOf would scramble the order
    }

    public static PassOutput of(ModelProto model) {
        return new PassOutput(model, Map.of());
    }
}
