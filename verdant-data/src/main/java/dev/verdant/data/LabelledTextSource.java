package dev.verdant.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of labelled text lines (gzipped or not), one sample a line: {@code label<TAB>text}, or fastText's
 * {@code __label__name text}. Blank lines and lines starting with {@code #} are skipped. Class names are the
 * distinct labels, sorted (numerically when they are all numbers).
 *
 * @param name a short name for reports, for example {@code reviews.tsv}
 * @param file the text file
 */
public record LabelledTextSource(String name, Path file) implements DataSource<TextDataset> {

    private static final String FASTTEXT_PREFIX = "__label__";

    @Override
    public List<Path> files() {
        return List.of(file);
    }

    @Override
    public String description() {
        return "labelled text lines (label<TAB>text) in " + file;
    }

    @Override
    public TextDataset loadAll() {
        List<String> rawLabels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = DataFiles.reader(file)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int cut;
                int textStart;
                String label;
                if (line.startsWith(FASTTEXT_PREFIX)) {
                    cut = line.indexOf(' ');
                    label = line.substring(FASTTEXT_PREFIX.length(), cut < 0 ? line.length() : cut);
                    textStart = cut < 0 ? line.length() : cut + 1;
                } else {
                    cut = line.indexOf('\t');
                    if (cut < 0) {
                        throw new DataFormatException(file + " line " + lineNumber
                                + ": expected label<TAB>text (or __label__name text), found no tab");
                    }
                    label = line.substring(0, cut);
                    textStart = cut + 1;
                }
                String text = line.substring(textStart).strip();
                if (label.isBlank() || text.isEmpty()) {
                    throw new DataFormatException(file + " line " + lineNumber + ": the "
                            + (label.isBlank() ? "label" : "text") + " is empty");
                }
                rawLabels.add(label.strip());
                texts.add(text);
            }
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
        if (texts.isEmpty()) {
            throw new DataFormatException(file + " holds no labelled lines (expected label<TAB>text)");
        }
        LabelIndex labels = LabelIndex.of(rawLabels);
        return new TextDataset(name, texts, labels.labels(), labels.classNames());
    }
}
