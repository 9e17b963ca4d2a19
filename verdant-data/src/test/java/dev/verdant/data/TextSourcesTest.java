package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSourcesTest {

    @TempDir
    Path temp;

    @Test
    void labelledLinesGiveSortedClassesAndTheirTexts() throws IOException {
        Path file = temp.resolve("reviews.tsv");
        Files.writeString(file, """
                # a comment
                pos\tA delight from start to end.
                neg\tDull and far too long.

                pos\tI would watch it again.
                __label__mixed Good actors, weak script.
                """);
        TextDataset texts = Datasets.resolveTexts(file.toString()).loadAll();

        assertThat(texts.classNames()).containsExactly("mixed", "neg", "pos");
        assertThat(texts.texts()).containsExactly("A delight from start to end.", "Dull and far too long.",
                "I would watch it again.", "Good actors, weak script.");
        assertThat(texts.labels()).containsExactly(2, 1, 2, 0);
    }

    @Test
    void numericLabelsSortNumerically() throws IOException {
        Path file = temp.resolve("stars.txt");
        Files.writeString(file, "10\tbest\n2\tpoor\n1\tawful\n");
        TextDataset texts = Datasets.resolveTexts(file.toString()).loadAll();
        assertThat(texts.classNames()).containsExactly("1", "2", "10");
        assertThat(texts.labels()).containsExactly(2, 1, 0);
    }

    @Test
    void sameNumberSpelledTwoWaysStaysTwoClasses() throws IOException {
        Path file = temp.resolve("codes.tsv");
        Files.writeString(file, "01\tleading zero\n1\tplain\n2\ttwo\n");
        TextDataset texts = new LabelledTextSource("codes", file).loadAll();
        assertThat(texts.classNames()).containsExactly("01", "1", "2");
        assertThat(texts.labels()).containsExactly(0, 1, 2);
    }

    @Test
    void partNamesParse() {
        assertThat(Part.parse(" Test ")).isEqualTo(Part.TEST);
        assertThatThrownBy(() -> Part.parse("validation")).hasMessage("unknown dataset part 'validation'; expected train or test");
    }

    @Test
    void lineWithoutATabIsReportedWithItsNumber() throws IOException {
        Path file = temp.resolve("bad.tsv");
        Files.writeString(file, "pos\tfine\nno tab here\n");
        assertThatThrownBy(() -> Datasets.resolveTexts(file.toString()).loadAll())
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + " line 2: expected label<TAB>text (or __label__name text), found no tab");
        Files.writeString(file, "pos\t   \n");
        assertThatThrownBy(() -> new LabelledTextSource("bad", file).loadAll()).hasMessageContaining("line 1: the text is empty");
    }

    @Test
    void wordNetGlossesAreLabelledByNounSupersense() {
        SystemDataAssumptions.assumeInstalled(SystemData.WORDNET);
        TextDataset glosses = Datasets.resolveTexts("wordnet-nouns").loadAll();

        // WordNet 3.0 has 82,115 noun synsets (man 7 wnstats), each with a gloss
        assertThat(glosses.size()).isEqualTo(82_115);
        assertThat(glosses.classNames()).hasSize(26).startsWith("noun.Tops", "noun.act", "noun.animal")
                .endsWith("noun.time");
        assertThat(Arrays.stream(glosses.classHistogram()).boxed()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(labelOf(glosses, "that which is perceived or known or inferred to have its own distinct existence"))
                .isEqualTo("noun.Tops");
        assertThat(labelOf(glosses, "a member of the genus Canis (probably descended from the common wolf)"))
                .isEqualTo("noun.animal");
        assertThat(glosses.texts()).noneMatch(t -> t.contains(" | ") || t.isBlank());
    }

    @Test
    void lexicographerFileTableMatchesWordNetNumbering() {
        assertThat(WordNetSource.LEXICOGRAPHER_FILES).hasSize(45);
        assertThat(WordNetSource.LEXICOGRAPHER_FILES.get(3)).isEqualTo("noun.Tops");
        assertThat(WordNetSource.LEXICOGRAPHER_FILES.get(28)).isEqualTo("noun.time");
        assertThat(WordNetSource.LEXICOGRAPHER_FILES.get(29)).isEqualTo("verb.body");
        assertThat(WordNetSource.LEXICOGRAPHER_FILES.get(44)).isEqualTo("adj.ppl");
        assertThat(WordNetSource.NOUN_SUPERSENSES).allMatch(n -> n.startsWith("noun.")).hasSize(26);
    }

    @Test
    void wordNetRejectsAFileOfAnotherPartOfSpeech() throws IOException {
        Path verbs = temp.resolve("data.noun");
        Files.writeString(verbs, "  1 This software and database is being provided\n"
                + "00001740 29 v 04 breathe 0 take_a_breath 0 | draw air into, and expel out of, the lungs\n");
        assertThatThrownBy(() -> new WordNetSource(verbs).loadAll())
                .hasMessageContaining("line 2: lexicographer file 29 is not a noun file");
    }

    @Test
    void fortunesAreLabelledByCategoryWithTheCountsTheirIndexesDeclare() throws IOException {
        SystemDataAssumptions.assumeInstalled(SystemData.FORTUNES);
        Path folder = SystemData.FORTUNES.path();
        TextDataset quotes = Datasets.resolveTexts("fortunes").loadAll();

        assertThat(quotes.classNames()).contains("fortunes", "literature", "riddles").doesNotContain("fortunes.dat");
        int[] histogram = quotes.classHistogram();
        for (int c = 0; c < quotes.classCount(); c++) {
            Path index = folder.resolve(quotes.classNames().get(c) + ".dat");
            if (Files.isRegularFile(index)) {
                // strfile's index header: version, then the number of strings, both big-endian 32-bit
                try (DataInputStream in = new DataInputStream(Files.newInputStream(index))) {
                    in.readInt();
                    assertThat(histogram[c]).as(quotes.classNames().get(c)).isEqualTo(in.readInt());
                }
            }
        }
        assertThat(quotes.texts()).noneMatch(t -> t.isBlank() || t.lines().anyMatch("%"::equals));
    }

    @Test
    void fortuneFilesSplitOnPercentLines() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("fortunes"));
        Files.writeString(folder.resolve("wisdom"), "Look before you leap.\n%\nTwo lines\n  of verse.\n%\n");
        Files.writeString(folder.resolve("wisdom.dat"), "binary index");
        Files.writeString(folder.resolve("jokes"), "%\nA pun.\n");
        TextDataset quotes = new FortunesSource(folder).loadAll();

        assertThat(quotes.classNames()).isEqualTo(List.of("jokes", "wisdom"));
        assertThat(quotes.texts()).containsExactly("A pun.", "Look before you leap.", "Two lines\n  of verse.");
        assertThat(quotes.labels()).containsExactly(0, 1, 1);
    }

    private static String labelOf(TextDataset texts, String glossStart) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.text(i).startsWith(glossStart)) {
                return texts.classNames().get(texts.label(i));
            }
        }
        throw new AssertionError("no gloss starts with " + glossStart);
    }
}
