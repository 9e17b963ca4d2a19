package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** A value as commands print them. */
    record Figures(String modelName, double latencyMillis, String note) {
    }

    /** A value with no properties at all. */
    static final class Empty {
    }

    @Test
    void keysAreSnakeCaseIndentedAndNullsAreWritten() throws Exception {
        String text = Json.write(new Figures("lenet5", 1.5, null));
        assertThat(text).contains("\"model_name\" : \"lenet5\"").contains("\"latency_millis\" : 1.5")
                .contains("\"note\" : null").contains("\n  ");
        assertThat(Json.write(new Empty())).isEqualTo("{ }");
    }

    @Test
    void keysANewerWriterAddedAreIgnoredOnReading() throws Exception {
        Figures read = Json.mapper().readValue("{\"model_name\":\"m\",\"latency_millis\":2,\"note\":\"x\","
                + "\"added_later\":[1,2]}", Figures.class);
        assertThat(read).isEqualTo(new Figures("m", 2, "x"));
    }

    @Test
    void aTaggedRecordSaysItsKindFirst() throws Exception {
        JsonNode tagged = Json.mapper().readTree(Json.writeTagged("bench", new Figures("m", 3, "n")));
        Iterator<String> names = tagged.fieldNames();
        assertThat(names.next()).isEqualTo("kind");
        assertThat(tagged.get("kind").asText()).isEqualTo("bench");
        assertThat(tagged.get("model_name").asText()).isEqualTo("m");
    }
}
