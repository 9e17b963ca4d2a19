package dev.verdant.train.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Real English sentences for tests: glosses of WordNet noun synsets (Debian {@code wordnet-base}). */
final class WordNetGlosses {

    static final Path NOUNS = Path.of("/usr/share/wordnet/data.noun");

    private WordNetGlosses() {
    }

    /** {@code count} glosses spread evenly over the file (skipping the licence header), or the test is skipped. */
    static List<String> sample(int count) throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(NOUNS), "WordNet is not installed: apt-get install wordnet-base");
        List<String> glosses = new ArrayList<>();
        for (String line : Files.readAllLines(NOUNS, StandardCharsets.UTF_8)) {
            int bar = line.indexOf(" | ");
            if (!line.startsWith("  ") && bar > 0) {
                glosses.add(line.substring(bar + 3).strip());
            }
        }
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sample.add(glosses.get((int) ((long) i * glosses.size() / count)));
        }
        return sample;
    }
}
