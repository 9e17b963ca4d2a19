package dev.verdant.train.fewshot;

import dev.verdant.data.TextDataset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw-feature baseline for texts: word counts over a vocabulary of the words that occur in at least two of the
 * texts (labels are never read), the {@code maxWords} most frequent kept. Words are lower-cased runs of letters and
 * digits. Fitted once per run on the whole pool, as the embeddings are computed once.
 *
 * @param vocabulary word to column
 */
public record BagOfWords(Map<String, Integer> vocabulary) {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public BagOfWords {
        vocabulary = Map.copyOf(vocabulary);
    }

    /** The vocabulary of {@code texts}: words in at least two texts, the {@code maxWords} most frequent. */
    public static BagOfWords fit(List<String> texts, int maxWords) {
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (String text : texts) {
            for (String word : new HashSet<>(words(text))) {
                documentFrequency.merge(word, 1, Integer::sum);
            }
        }
        List<String> kept = documentFrequency.entrySet().stream().filter(e -> e.getValue() >= 2)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxWords).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
        Map<String, Integer> vocabulary = new HashMap<>();
        for (String word : kept) {
            vocabulary.put(word, vocabulary.size());
        }
        return new BagOfWords(vocabulary);
    }

    /** The count vectors of {@code texts}, labels and class names kept. */
    public Embeddings transform(TextDataset texts) {
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new float[vocabulary.size()];
            for (String word : words(texts.text(i))) {
                Integer column = vocabulary.get(word);
                if (column != null) {
                    vectors[i][column]++;
                }
            }
        }
        return new Embeddings(vectors, texts.labels(), texts.classNames());
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** The number of columns. */
    public int size() {
        return vocabulary.size();
    }
}
