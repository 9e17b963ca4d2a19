package dev.verdant.train.fewshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Evaluates a few-shot classifier over many random episodes. Each episode picks {@code ways} classes (or all), then
 * for each class {@code shots} support examples and {@code queriesPerClass} queries, disjoint, from the cached
 * embeddings; the classifier sees only the support set's labels and is scored on the queries. With a separate query
 * set, supports come from one and queries from the other. The same seed draws the same episodes for any features,
 * so a backbone and a baseline are compared on identical episodes when their examples are the same.
 */
public final class EpisodeEvaluator {

    private final EpisodeConfig config;

    public EpisodeEvaluator(EpisodeConfig config) {
        this.config = config;
    }

    /**
     * Checks that every class has enough examples for one episode, before any work: one line naming the short
     * classes otherwise.
     */
    public void checkEnoughExamples(Embeddings support, Optional<Embeddings> queries) {
        List<int[]> supportByClass = support.indicesByClass();
        List<int[]> queryByClass = queries.map(Embeddings::indicesByClass).orElse(null);
        if (queries.isPresent() && !queries.get().classNames().equals(support.classNames())) {
            throw new IllegalArgumentException("the query set's classes differ from the support set's");
        }
        List<String> shortClasses = new ArrayList<>();
        int need = queries.isPresent() ? config.shots() : config.shots() + config.queriesPerClass();
        for (int c = 0; c < supportByClass.size(); c++) {
            int have = supportByClass.get(c).length;
            boolean enough = have >= need && (queryByClass == null || queryByClass.get(c).length >= config.queriesPerClass());
            if (!enough) {
                shortClasses.add("'" + support.classNames().get(c) + "' (" + have
                        + (queryByClass == null ? "" : " support, " + queryByClass.get(c).length + " query") + ")");
            }
        }
        if (!shortClasses.isEmpty()) {
            throw new IllegalArgumentException("too few examples per class for " + config.shots() + "-shot episodes with "
                    + config.queriesPerClass() + " queries per class (each class needs " + need
                    + (queryByClass == null ? "" : " support and " + config.queriesPerClass() + " query")
                    + "): " + String.join(", ", shortClasses.subList(0, Math.min(5, shortClasses.size())))
                    + (shortClasses.size() > 5 ? " and " + (shortClasses.size() - 5) + " more" : "")
                    + "; lower --shots or --queries");
        }
        if (config.ways() > support.classNames().size()) {
            throw new IllegalArgumentException("--ways " + config.ways() + " but the data has only "
                    + support.classNames().size() + " classes");
        }
    }

    /** Runs every episode and summarizes the accuracies. */
    public EpisodeResult evaluate(FewShotClassifier classifier, String features, Embeddings support,
            Optional<Embeddings> queries) {
        checkEnoughExamples(support, queries);
        List<int[]> supportByClass = support.indicesByClass();
        List<int[]> queryByClass = queries.map(Embeddings::indicesByClass).orElse(null);
        Embeddings queryPool = queries.orElse(support);
        int classCount = support.classNames().size();
        int ways = config.ways() == 0 ? classCount : config.ways();
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Double> accuracies = new ArrayList<>(config.episodes());
        for (int episode = 0; episode < config.episodes(); episode++) {
            int[] classes = sample(identity(classCount), ways, random);
            float[][] supportVectors = new float[ways * config.shots()][];
            int[] supportLabels = new int[supportVectors.length];
            float[][] queryVectors = new float[ways * config.queriesPerClass()][];
            int[] queryLabels = new int[queryVectors.length];
            for (int w = 0; w < ways; w++) {
                int c = classes[w];
                int[] drawn;
                int[] queryDrawn;
                if (queryByClass == null) {
                    drawn = sample(supportByClass.get(c), config.shots() + config.queriesPerClass(), random);
                    queryDrawn = java.util.Arrays.copyOfRange(drawn, config.shots(), drawn.length);
                } else {
                    drawn = sample(supportByClass.get(c), config.shots(), random);
                    queryDrawn = sample(queryByClass.get(c), config.queriesPerClass(), random);
                }
                for (int k = 0; k < config.shots(); k++) {
                    supportVectors[w * config.shots() + k] = support.vectors()[drawn[k]];
                    supportLabels[w * config.shots() + k] = w;
                }
                for (int q = 0; q < config.queriesPerClass(); q++) {
                    queryVectors[w * config.queriesPerClass() + q] = queryPool.vectors()[queryDrawn[q]];
                    queryLabels[w * config.queriesPerClass() + q] = w;
                }
            }
            int[] predicted = classifier.predict(supportVectors, supportLabels, ways, queryVectors);
            int correct = 0;
            for (int q = 0; q < predicted.length; q++) {
                correct += predicted[q] == queryLabels[q] ? 1 : 0;
            }
            accuracies.add((double) correct / predicted.length);
        }
        return EpisodeResult.of(classifier.name(), features, accuracies);
    }

    private static int[] identity(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    /** {@code count} distinct elements of {@code from}, in random order (a partial Fisher-Yates on a copy). */
    private static int[] sample(int[] from, int count, SplittableRandom random) {
        int[] pool = from.clone();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
        return java.util.Arrays.copyOf(pool, count);
    }
}
