package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What produced a model, as Verdant keeps it in the model's ONNX {@code metadata_props}: one key scheme,
 * {@code verdant.<step>.<field>} ({@code verdant.compress.recipe}, {@code verdant.train.epochs},
 * {@code verdant.zoo.arch}; the steps are {@link #COMPRESS}, {@link #TRAIN}, {@link #TRANSFER}, {@link #OPTIMIZE} and
 * {@link #ZOO}), and one merge ({@link #withEntries}) that every writer of a model goes through.
 *
 * <p>Models written before the scheme carry some facts under older keys ({@code verdant.recipe},
 * {@code verdant.source_sha256}, {@code verdant.arch}, ...); {@link #read} gives them under their keys of today, so
 * an old model reads like a new one.
 */
public final class Provenance {

    /** The prefix of every key. */
    public static final String PREFIX = "verdant.";
    /** The step of {@code verdant compress}. */
    public static final String COMPRESS = "compress";
    /** The step of a training run ({@code verdant train}, retraining recipes). */
    public static final String TRAIN = "train";
    /** The step of transfer learning. */
    public static final String TRANSFER = "transfer";
    /** The step of {@code verdant optimize}: which candidate it chose and why. */
    public static final String OPTIMIZE = "optimize";
    /** The step that built a model of the zoo: its architecture, configuration and initial seed. */
    public static final String ZOO = "zoo";

    /** Keys written before the one scheme, and what they are called now. */
    private static final Map<String, String> OLD_KEYS = Map.of(
            "verdant.recipe", key(COMPRESS, "recipe"),
            "verdant.version", key(COMPRESS, "verdant_version"),
            "verdant.source", key(COMPRESS, "source"),
            "verdant.source_sha256", key(COMPRESS, "source_sha256"),
            "verdant.data", key(COMPRESS, "data"),
            "verdant.seed", key(COMPRESS, "seed"),
            "verdant.calibration", key(COMPRESS, "calibration"),
            "verdant.arch", key(ZOO, "arch"),
            "verdant.arch.config", key(ZOO, "config"),
            "verdant.init.seed", key(ZOO, "seed"));

    private Provenance() {
    }

    /** The key of {@code field} of {@code step}: {@code verdant.<step>.<field>}. */
    public static String key(String step, String field) {
        return PREFIX + step + "." + field;
    }

    /**
     * {@code model} with {@code entries} merged into its {@code metadata_props}: an existing key keeps its place and
     * takes the new value, a new key goes last, every other entry (Verdant's or anyone else's) stays as it was.
     */
    public static ModelProto withEntries(ModelProto model, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return model;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
        merged.putAll(entries);
        ModelProto.Builder builder = model.toBuilder().clearMetadataProps();
        merged.forEach((key, value) -> builder.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return builder.build();
    }

    /**
     * Every {@code metadata_props} entry of {@code model}, in file order, with Verdant's older keys given under their
     * keys of today (where a model has both, today's wins); entries of other tools are kept as they are.
     */
    public static Map<String, String> read(ModelProto model) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (StringStringEntryProto entry : model.getMetadataPropsList()) {
            String key = OLD_KEYS.getOrDefault(entry.getKey(), entry.getKey());
            if (key.equals(entry.getKey()) || !entries.containsKey(key)) {
                entries.put(key, entry.getValue());
            }
        }
        return entries;
    }

    /** One field of one step of {@code model}'s provenance, read as {@link #read} does. */
    public static Optional<String> get(ModelProto model, String step, String field) {
        return Optional.ofNullable(read(model).get(key(step, field)));
    }
}
