package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Map;

/**
 * What one pass produced: the new model and facts about what it did (for example per-layer sparsity or bits),
 * which the report shows as they are.
 *
 * @param model the rewritten model
 * @param facts named facts for the report (values are numbers, strings, lists or maps of those)
 */
public record PassOutput(ModelProto model, Map<String, Object> facts) {
    public PassOutput {
        facts = Map.copyOf(facts);
    }

    public static PassOutput of(ModelProto model) {
        return new PassOutput(model, Map.of());
    }
}
