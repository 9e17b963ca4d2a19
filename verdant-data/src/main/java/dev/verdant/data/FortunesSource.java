package dev.verdant.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Quotations labelled by category, from the fortune files of the Debian packages {@code fortunes-min} and
 * {@code fortunes} ({@code /usr/share/games/fortunes/<category>}): each file is one category, its entries separated
 * by lines holding only {@code %}. An entry's text keeps its line breaks. The index files ({@code .dat}), the
 * {@code .u8} links to the same files, and subfolders (the {@code off/} collection) are not read.
 *
 * @param folder the folder of fortune files
 */
public record FortunesSource(Path folder) implements DataSource<TextDataset> {


    @Override
    public String name() {
        return "fortunes";
    }

    @Override
    public String description() {
        return "fortune quotations labelled by category from " + folder;
    }

    /** The category files, sorted by name: regular files with no extension. */
    @Override
    public List<Path> files() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> Files.isRegularFile(file))
                    .filter(file -> !file.getFileName().toString().contains("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw DataFiles.failure(folder, e);
        }
    }

    @Override
    public TextDataset loadAll() {
        List<Path> files = files();
        if (files.isEmpty()) {
            throw new DataFormatException(folder + " holds no fortune files; apt-get install fortunes-min");
        }
        List<String> categories = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path file : files) {
            int label = categories.size();
            int before = texts.size();
            readEntries(file, texts);
            if (texts.size() > before) {
                categories.add(file.getFileName().toString());
                for (int i = before; i < texts.size(); i++) {
                    labels.add(label);
                }
            }
        }
        if (texts.isEmpty()) {
            throw new DataFormatException(folder + " holds fortune files but no entries");
        }
        return new TextDataset(name(), texts, labels.stream().mapToInt(Integer::intValue).toArray(), categories);
    }

    private static void readEntries(Path file, List<String> texts) {
        try (BufferedReader reader = DataFiles.reader(file)) {
            StringBuilder entry = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("%")) {
                    addEntry(entry, texts);
                } else {
                    entry.append(line).append('\n');
                }
            }
            addEntry(entry, texts);
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
    }

    private static void addEntry(StringBuilder entry, List<String> texts) {
        String text = entry.toString().strip();
        if (!text.isEmpty()) {
            texts.add(text);
        }
        entry.setLength(0);
    }
}
