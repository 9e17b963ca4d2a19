package dev.verdant.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WordNet's noun glosses labelled by their lexicographer file, the 26 noun "supersenses" ({@code noun.animal},
 * {@code noun.food}, ...): 82,115 short definitions in WordNet 3.0, from {@code data.noun} of the Debian package
 * {@code wordnet-base} ({@code /usr/share/wordnet/data.noun}). Each synset line of that file is
 * {@code offset lex_filenum ss_type w_cnt word lex_id ... | gloss} (see {@code man 5 wndb}); the text of a sample is
 * the gloss, its label the lexicographer file.
 *
 * @param name         a short name for reports: {@code wordnet-nouns}, or {@code wordnet-nouns-sample} for the
 *                     bundled sample
 * @param dataNoun     the {@code data.noun} file (or a file of its lines, such as the bundled sample)
 * @param fallbackNote a note on how the file was chosen, or empty
 */
public record WordNetSource(String name, Path dataNoun, String fallbackNote) implements DataSource<TextDataset> {

    /** The full set's name. */
    public static final String NAME = "wordnet-nouns";

    /** A {@code data.noun} file named as the full set, with no note. */
    public WordNetSource(Path dataNoun) {
        this(NAME, dataNoun, "");
    }

    /**
     * WordNet 3.0's 45 lexicographer files, indexed by file number, as listed in {@code man 5 lexnames}
     * (the {@code lexnames} file of the WordNet distribution).
     */
    public static final List<String> LEXICOGRAPHER_FILES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
            "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
            "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
            "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
            "verb.communication", "verb.competition", "verb.consumption", "verb.contact", "verb.creation",
            "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social", "verb.stative",
            "verb.weather", "adj.ppl");

    /** The lexicographer file number of {@code noun.Tops}, the first noun file. */
    public static final int FIRST_NOUN_FILE = 3;

    /** The 26 noun supersenses ({@code noun.Tops} to {@code noun.time}): the class names, label = file number - 3. */
    public static final List<String> NOUN_SUPERSENSES = LEXICOGRAPHER_FILES.subList(FIRST_NOUN_FILE, 29);

    @Override
    public Optional<String> note() {
        return fallbackNote.isBlank() ? Optional.empty() : Optional.of(fallbackNote);
    }

    @Override
    public List<Path> files() {
        return List.of(dataNoun);
    }

    @Override
    public String description() {
        return "WordNet noun glosses labelled by lexicographer file (26 supersenses) from " + dataNoun;
    }

    @Override
    public TextDataset loadAll() {
        List<String> glosses = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader reader = DataFiles.reader(dataNoun)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                // The licence header's lines start with two spaces; every synset line starts with its byte offset.
                if (line.isEmpty() || line.charAt(0) == ' ') {
                    continue;
                }
                int bar = line.indexOf(" | ");
                String[] fields = line.split(" ", 4);
                if (bar < 0 || fields.length < 4) {
                    throw new DataFormatException(dataNoun + " line " + lineNumber
                            + ": not a WordNet synset line (offset lex_filenum ss_type ... | gloss)");
                }
                int fileNumber;
                try {
                    fileNumber = Integer.parseInt(fields[1]);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(dataNoun + " line " + lineNumber + ": lexicographer file number '"
                            + fields[1] + "' is not a number", e);
                }
                int label = fileNumber - FIRST_NOUN_FILE;
                if (label < 0 || label >= NOUN_SUPERSENSES.size()) {
                    throw new DataFormatException(dataNoun + " line " + lineNumber + ": lexicographer file " + fileNumber
                            + " is not a noun file; is this data.noun?");
                }
                String gloss = line.substring(bar + 3).strip();
                if (!gloss.isEmpty()) {
                    glosses.add(gloss);
                    labels.add(label);
                }
            }
        } catch (IOException e) {
            throw DataFiles.failure(dataNoun, e);
        }
        if (glosses.isEmpty()) {
            throw new DataFormatException(dataNoun + " holds no WordNet synsets");
        }
        return new TextDataset(name(), glosses, labels.stream().mapToInt(Integer::intValue).toArray(), NOUN_SUPERSENSES);
    }
}
