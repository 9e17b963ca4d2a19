package dev.verdant.io;

import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link CsvReader} on any text: rows with their line numbers, or a {@link CsvSyntaxException} on one line. */
class CsvReaderPropertiesTest {

    @Property(tries = 500)
    void anyTextReadsOrFailsOnOneLine(@ForAll("csvLike") String text) throws Exception {
        for (CsvReader reader : List.of(CsvReader.commaSeparated(), CsvReader.separatorFromHeader().withComments())) {
            List<Integer> lines = new ArrayList<>();
            parsesOrRefuses(() -> {
                reader.read(new BufferedReader(new StringReader(text)), (line, fields) -> lines.add(line));
                return lines;
            }, CsvSyntaxException.class);
            assertThat(lines).isSorted().allMatch(line -> line >= 1 && line <= text.lines().count());
        }
    }

    /** Text made mostly of the characters CSV gives a meaning to, so quotes, separators and lines meet often. */
    @Provide
    Arbitrary<String> csvLike() {
        Arbitrary<String> structured = Arbitraries.strings().withChars("\",;\t\n\r# ab1.\\'").ofMaxLength(80);
        return Arbitraries.oneOf(structured, Arbitraries.strings().ofMaxLength(80));
    }
}
