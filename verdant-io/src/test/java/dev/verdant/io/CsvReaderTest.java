package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<String> read(CsvReader reader, String text) throws IOException {
        List<String> rows = new ArrayList<>();
        reader.read(new BufferedReader(new StringReader(text)), (line, fields) -> rows.add(line + " " + fields));
        return rows;
    }

    @Test
    void rowsComeWithTheirLineNumbersPastBlankAndCommentLines() throws IOException {
        String text = "# source: test\nname,note\n\n a , \"x, \"\"y\"\"\" \r\n   \n# later\nb,\n";
        assertThat(read(CsvReader.commaSeparated().withComments(), text))
                .containsExactly("2 [name, note]", "4 [a, x, \"y\"]", "7 [b, ]");
        assertThat(read(CsvReader.commaSeparated(), text)).contains("1 [# source: test]", "6 [# later]");
    }

    @Test
    void theSeparatorIsTheOneTheHeaderUsesMost() throws IOException {
        assertThat(read(CsvReader.separatorFromHeader(), "a;b;\"c,d\"\n1;2,5;3\n"))
                .containsExactly("1 [a, b, c,d]", "2 [1, 2,5, 3]");
        assertThat(read(CsvReader.separatorFromHeader(), "a\tb\n1\t2\n")).containsExactly("1 [a, b]", "2 [1, 2]");
        assertThat(CsvReader.separatorOf("\"a;b\",c")).isEqualTo(',');
        assertThat(CsvReader.separatorOf("single")).isEqualTo(',');
    }

    @Test
    void aQuoteLeftOpenNamesItsLine() {
        assertThatThrownBy(() -> read(CsvReader.commaSeparated(), "a,b\n1,2\n3,\"4\n5,6\n"))
                .isInstanceOfSatisfying(CsvSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("a quoted field is not closed");
                });
        assertThatThrownBy(() -> CsvReader.commaSeparated().fields("\"ab\"c,d"))
                .isInstanceOfSatisfying(CsvSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.getMessage()).startsWith("not valid CSV");
                });
    }
}
