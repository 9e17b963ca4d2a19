package dev.verdant.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Verdant's one JSON set-up: what every command prints with {@code --json}, the results files {@code verdant report}
 * reads, the tracker's run files and the optimizer's state all go through {@link #mapper()}: snake_case keys,
 * indented, every value written (none left out for being null or empty), and keys a newer writer added ignored
 * on reading.
 */
public final class Json {

    private Json() {
    }

    /** A fresh mapper configured the Verdant way (mappers are cheap enough; no shared mutable state). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The value as indented JSON text. */
    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The value as indented JSON text whose first key is {@code "kind"}, so a results file says what wrote it
     * ({@code verdant report} reads files by their kind).
     */
    public static String writeTagged(String kind, Object value) {
        ObjectMapper mapper = mapper();
        ObjectNode tagged = mapper.createObjectNode().put("kind", kind);
        tagged.setAll((ObjectNode) mapper.valueToTree(value));
        try {
            return mapper.writeValueAsString(tagged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
