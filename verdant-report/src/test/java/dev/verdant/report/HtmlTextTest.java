package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void escapesEveryCharacterThatCouldOpenMarkup() {
        assertThat(HtmlText.escape("<script>alert('x')</script>&\"q\""))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;");
        assertThat(HtmlText.escape(null)).isEmpty();
        assertThat(HtmlText.escape("plain text, 12 ms")).isEqualTo("plain text, 12 ms");
    }

    @Test
    void unknownFiguresShowAsADash() {
        assertThat(HtmlText.number(null, 3)).isEqualTo(HtmlText.UNKNOWN);
        assertThat(HtmlText.number(Double.NaN, 3)).isEqualTo(HtmlText.UNKNOWN);
        assertThat(HtmlText.count(null)).isEqualTo(HtmlText.UNKNOWN);
        assertThat(HtmlText.percent(null)).isEqualTo(HtmlText.UNKNOWN);
    }

    @Test
    void numbersKeepSignificantDigitsAndLargeOnesTheirIntegerPart() {
        assertThat(HtmlText.number(0.0123456, 3)).isEqualTo("0.0123");
        assertThat(HtmlText.number(12.3456, 4)).isEqualTo("12.35");
        assertThat(HtmlText.number(123456.7, 4)).isEqualTo("123,457");
        assertThat(HtmlText.megabytes(22_971_234L)).isEqualTo("22.97 MB");
        assertThat(HtmlText.percent(0.98765)).isEqualTo("98.77%");
    }
}
