package dev.verdant.io;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** {@link CsvReader} on any text: rows with their line numbers, or a {@link CsvSyntaxException} on one line. */
class CsvReaderPropertiesTest {

    @Test
    void anyTextReadsOrFailsOnOneLine() {
        // text made mostly of the characters CSV gives a meaning to, so quotes, separators and lines meet often
        forAll(500, Generate.oneOf(Mutations.textOf("\",;\t\n\r# ab1.\\'", 80), Mutations.anyText(80)), text -> {
            for (CsvReader reader : List.of(CsvReader.commaSeparated(), CsvReader.separatorFromHeader().withComments())) {
                List<Integer> lines = new ArrayList<>();
                parsesOrRefuses(() -> {
                    reader.read(new BufferedReader(new StringReader(text)), (line, fields) -> lines.add(line));
                    return lines;
                }, CsvSyntaxException.class);
                assertThat(lines).isSorted().allMatch(line -> line >= 1 && line <= text.lines().count());
            }
        });
    }
}
