package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTextTest {

    @Test
    void aValueIsQuotedOnOneLineWithItsControlCharactersWrittenOut() {
        assertThat(MessageText.quote("bench")).isEqualTo("'bench'");
        assertThat(MessageText.quote("two\nlines\r\tand \u001b[2J")).isEqualTo("'two\\nlines\\r\\tand \\u001b[2J'");
        assertThat(MessageText.quote("a\u2028b")).isEqualTo("'a\\u2028b'");
        assertThat(MessageText.quote(null)).isEqualTo("null");
    }

    @Test
    void aLongValueIsCut() {
        assertThat(MessageText.quote("x".repeat(500))).isEqualTo("'" + "x".repeat(MessageText.MAX_CHARS) + "...'");
        assertThat(MessageText.quote("x".repeat(MessageText.MAX_CHARS))).doesNotContain("...");
    }
}
