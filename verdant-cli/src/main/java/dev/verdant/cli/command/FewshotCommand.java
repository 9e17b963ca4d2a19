package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.BackboneOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.ScratchOptions;
import dev.verdant.cli.option.SeedOptions;
import dev.verdant.data.DataSource;
import dev.verdant.data.Dataset;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.Part;
import dev.verdant.data.Split;
import dev.verdant.data.TextDataset;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.energy.Tracker;
import dev.verdant.io.Json;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtFeatureExtractor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.train.EnergyProbe;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingData;
import dev.verdant.train.fewshot.BagOfWords;
import dev.verdant.train.fewshot.Embeddings;
import dev.verdant.train.fewshot.EpisodeConfig;
import dev.verdant.train.fewshot.EpisodeEvaluator;
import dev.verdant.train.fewshot.EpisodeResult;
import dev.verdant.train.fewshot.FewShotClassifier;
import dev.verdant.train.fewshot.PoolSampler;
import dev.verdant.train.transfer.Backbone;
import dev.verdant.train.transfer.EnergyFigure;
import dev.verdant.train.transfer.Head;
import dev.verdant.train.transfer.HeadSplice;
import dev.verdant.train.transfer.ScratchBaseline;
import dev.verdant.train.transfer.TransferResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant fewshot}: K-shot classification on a frozen backbone's embeddings, scored over many episodes. */
@Command(
        name = "fewshot",
        header = "Few-shot classification on frozen embeddings, scored over many episodes.",
        mixinStandardHelpOptions = true,
        description = "Low-shot learning on frozen embeddings: a prototype (nearest class mean, cosine) or "
                + "logistic-regression classifier fitted on K labelled examples per class, scored over many random "
                + "episodes. The mean accuracy comes with its 95%% interval (Student's t, episodes-1 degrees of "
                + "freedom), against the same classifier on raw features (bag of words for texts, pixels for images) on "
                + "the same episodes. Embeddings are computed once per run in ONNX Runtime (MiniLM: mean over tokens "
                + "weighted by the attention mask; image models: the input of their last classifier layer, or --cut). "
                + "Energy and CO2e are measured; --compare-scratch also trains the backbone's architecture with a "
                + "linear head from scratch on the support pool to the few-shot accuracy, in the same run, within "
                + "--scratch-max-epochs and --scratch-max-joules, and reports the measured energy ratio (a bound when "
                + "scratch falls short).",
        footer = {"", "Example: verdant fewshot --backbone minilm --support wordnet-nouns --shots 5 --episodes 200"})
public final class FewshotCommand implements Callable<Integer> {

    private static final int EXTRACT_BATCH = 128;
    private static final int VOCABULARY = 5_000;
    /** The from-scratch recipe of {@code verdant train} and of {@code transfer --compare-scratch}. */
    private static final int SCRATCH_BATCH = 64;

    @Mixin
    OutputOptions output;

    @Mixin
    BackboneOptions backboneOptions = new BackboneOptions();

    @Option(names = "--support", paramLabel = "DATA", required = true,
            description = "Labelled examples to draw supports (and, without --query, queries) from: " + Datasets.ACCEPTED)
    String support;

    @Option(names = "--query", paramLabel = "DATA", description = "Labelled examples to draw queries from (same classes).")
    String query;

    @Option(names = "--shots", paramLabel = "K", required = true, description = "Labelled examples per class.")
    int shots;

    @Option(names = "--queries", paramLabel = "Q", defaultValue = "15",
            description = "Query examples per class and episode (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "200", description = "Episodes (default ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--ways", paramLabel = "N", defaultValue = "0",
            description = "Classes per episode (default: all classes).")
    int ways;

    @Option(names = "--classifier", paramLabel = "NAME", defaultValue = "prototype",
            description = "prototype or logreg (default ${DEFAULT-VALUE}).")
    String classifier;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "100",
            description = "Examples per class drawn from each data set and embedded once (default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--no-baseline", description = "Skip the raw-feature baseline.")
    boolean noBaseline;

    @Mixin
    SeedOptions seed = new SeedOptions(1);

    @Mixin
    ScratchOptions scratchOptions = new ScratchOptions();

    /**
     * One set of features scored over the episodes.
     *
     * @param result the episodes' accuracy and interval
     * @param energy the energy of computing the features and running the episodes
     */
    record Scored(EpisodeResult result, EnergyFigure energy) {
    }

    /**
     * What {@code verdant fewshot} reports.
     *
     * @param backbone      the backbone
     * @param data          the support data (and query data)
     * @param shots         K
     * @param ways          classes per episode
     * @param queries       queries per class and episode
     * @param episodes      episodes
     * @param poolSize      examples embedded once
     * @param intervalMethod how the interval is computed
     * @param embedding     the backbone's features
     * @param baseline      the raw features, unless skipped
     * @param scratch       the same architecture trained from scratch, when asked
     * @param total         the whole command's energy
     */
    record FewshotReport(String backbone, String data, int shots, int ways, int queries, int episodes, int poolSize,
            String intervalMethod, Scored embedding, Scored baseline, ScratchRun scratch, EnergyFigure total) {
    }

    /**
     * The scratch counterfactual of a few-shot run.
     *
     * @param trainedOn   the examples it trained on
     * @param evaluatedOn the examples its accuracy is measured on
     * @param comparison  epochs, accuracy, energy, and the ratio few-shot energy / scratch energy (an upper bound
     *                    on the true ratio when scratch did not reach the few-shot accuracy)
     */
    record ScratchRun(String trainedOn, String evaluatedOn, TransferResult.ScratchComparison comparison) {
    }

    /** The pools a run embeds: supports, and queries when they come from another set. */
    private record Pools(Dataset<?> support, Optional<Dataset<?>> queries, String description) {
    }

    @Override
    public Integer call() {
        validate();
        Path input = backboneOptions.modelFile();
        ModelProto source = OnnxModels.read(input);
        boolean texts = ModelInputs.of(source).readsText();
        Backbone cutModel = Backbone.of(source, backboneOptions.cutAt());
        // the pools' own names: wordnet-nouns read as its bundled sample says so here too
        Dataset<?> supportPool = pool(support, texts, Part.TRAIN);
        Optional<Dataset<?>> queryPool = Optional.ofNullable(query).map(q -> pool(q, texts, Part.TEST));
        Pools pools = new Pools(supportPool, queryPool, supportPool.name()
                + queryPool.map(q -> " (queries: " + q.name() + ")").orElse(""));
        EpisodeConfig config = new EpisodeConfig(shots, queries, episodes, ways, seed.seed());
        EpisodeEvaluator evaluator = new EpisodeEvaluator(config);
        FewShotClassifier method = FewShotClassifier.byName(classifier);
        Optional<Path> tokenizerFile = backboneOptions.tokenizerFile(texts);
        // the cheapest check first: enough examples per class, on the labels alone
        evaluator.checkEnoughExamples(labelsOnly(pools.support()), pools.queries().map(FewshotCommand::labelsOnly));

        Scored embedding;
        ModelProto scratchModel = null;
        Scored baseline = null;
        ScratchRun scratch = null;
        EnergyReport total;
        OrtRunner.loadRuntime(); // loaded before measuring: neither phase pays its start-up
        try (TrackedRun run = Tracker.builder().build().startRun("verdant fewshot")) {
            String features = input.getFileName() + (texts ? " mean-pooled tokens" : " cut at '"
                    + cutModel.featureTensor() + "'");
            try (TrackedTask task = run.task("backbone");
                 OrtFeatureExtractor extractor = OrtFeatureExtractor.load(cutModel.model(), backboneOptions.threads(),
                         tokenizerFile, backboneOptions.maxTokens())) {
                Embeddings supportVectors = Embeddings.of(extractor.extract(pools.support(), EXTRACT_BATCH));
                Optional<Embeddings> queryVectors = pools.queries()
                        .map(q -> Embeddings.of(extractor.extract(q, EXTRACT_BATCH)));
                EpisodeResult result = evaluator.evaluate(method, features, supportVectors, queryVectors);
                embedding = new Scored(result, EnergyFigure.of(task.stop()));
                if (scratchOptions.compare()) {
                    scratchModel = scratchModel(cutModel, extractor.outputSampleShape(pools.support()),
                            supportVectors.dimension(), pools.support().classCount());
                }
            }
            if (!noBaseline) {
                try (TrackedTask task = run.task("baseline")) {
                    EpisodeResult result = texts ? bagOfWords(evaluator, method, pools)
                            : evaluator.evaluate(method, "raw pixels", Embeddings.of((FeatureDataset<?>) pools.support()),
                                    pools.queries().map(q -> Embeddings.of((FeatureDataset<?>) q)));
                    baseline = new Scored(result, EnergyFigure.of(task.stop()));
                }
            }
            if (scratchOptions.compare()) {
                scratch = scratch(scratchModel, pools, embedding, tokenizerFile, texts, run);
            }
            total = run.stop();
        }
        int poolSize = pools.support().size() + pools.queries().map(Dataset::size).orElse(0);
        int classCount = pools.support().classCount();
        FewshotReport report = new FewshotReport(backboneOptions.backbone(), pools.description(), shots, ways == 0 ? classCount : ways,
                queries, episodes, poolSize, EpisodeResult.INTERVAL_METHOD, embedding, baseline, scratch,
                EnergyFigure.of(total));
        print(report);
        return ExitCode.OK;
    }

    /** The cut backbone and a linear head, as {@code transfer} builds its model, every weight drawn afresh. */
    private ModelProto scratchModel(Backbone cutModel, long[] featureShape, int featureSize, int classes) {
        long opset = OnnxGraph.of(cutModel.model()).opset();
        ModelProto head = new Head.Linear().build(featureSize, classes, seed.seed(), opset);
        return ScratchBaseline.reinitialize(HeadSplice.attach(cutModel, head, featureShape.length > 1), seed.seed());
    }

    /**
     * Trains {@code fresh} on the support pool until it reaches the few-shot mean accuracy. With --query it is
     * scored on the query pool; without, supports and queries share one pool, so it trains on a stratified half and
     * is scored on the other: scored on what it trained on, it would only measure memorisation.
     */
    private ScratchRun scratch(ModelProto fresh, Pools pools, Scored fewShot, Optional<Path> tokenizerFile,
            boolean texts, TrackedRun run) {
        Dataset<?> train;
        Dataset<?> heldOut;
        String trainedOn;
        String evaluatedOn;
        if (pools.queries().isPresent()) {
            train = pools.support();
            heldOut = pools.queries().get();
            trainedOn = "support pool (" + train.size() + ")";
            evaluatedOn = "query pool (" + heldOut.size() + ")";
        } else {
            Split<? extends Dataset<?>> split = pools.support().stratifiedSplit(0.5, seed.seed());
            train = split.train();
            heldOut = split.heldOut();
            trainedOn = "half of the pool (" + train.size() + ")";
            evaluatedOn = "the other half (" + heldOut.size() + ")";
        }
        OptimizerConfig optimizer = OptimizerConfig.adamW();
        TrainConfig config = TrainConfig.builder().setEpochs(1).optBatchSize(SCRATCH_BATCH).optSeed(seed.seed())
                .optOptimizer(optimizer).optLearningRate(optimizer.defaultLearningRate())
                .optThreads(backboneOptions.threads()).optEnergy(EnergyProbe.of(run)).build();
        ScratchBaseline.Budget budget = new ScratchBaseline.Budget(scratchOptions.maxEpochs(),
                scratchOptions.maxJoules(texts));
        // texts are tokenized inside the scratch run's measurement: the few-shot side paid for its tokenizing too
        ScratchBaseline.Result result = ScratchBaseline.trainUntil(fresh, config,
                TrainingData.of(train, tokenizerFile, backboneOptions.maxTokens()),
                TrainingData.of(heldOut, tokenizerFile, backboneOptions.maxTokens()), fewShot.result().mean(), budget,
                run);
        return new ScratchRun(trainedOn, evaluatedOn, result.against(fewShot.energy(), budget,
                ScratchBaseline.describe(fresh, "the backbone's architecture with a linear head")));
    }

    private EpisodeResult bagOfWords(EpisodeEvaluator evaluator, FewShotClassifier method, Pools pools) {
        TextDataset supportTexts = (TextDataset) pools.support();
        Optional<TextDataset> queryTexts = pools.queries().map(TextDataset.class::cast);
        List<String> all = new ArrayList<>(supportTexts.texts());
        queryTexts.ifPresent(q -> all.addAll(q.texts()));
        BagOfWords words = BagOfWords.fit(all, VOCABULARY);
        return evaluator.evaluate(method, "bag of words (" + words.size() + " words)", words.transform(supportTexts),
                queryTexts.map(words::transform));
    }

    /** The examples of one data set, at most --per-class of each class; texts for a token encoder, else images. */
    private Dataset<?> pool(String dataSpec, boolean texts, Part preferred) {
        DataSource<?> resolved = Datasets.resolve(dataSpec);
        DataSource<?> source = texts ? Datasets.texts(resolved, dataSpec) : Datasets.images(resolved, dataSpec);
        source.note().ifPresent(note -> output.err().println("verdant: " + note));
        return capped(source, preferred);
    }

    private <D extends Dataset<D>> D capped(DataSource<D> source, Part preferred) {
        D data = source.parts().contains(preferred) ? source.load(preferred) : source.loadAll();
        return PoolSampler.capPerClass(data, perClass, seed.seed());
    }

    /** A stand-in with the labels only, for checking class sizes before any backbone runs. */
    private static Embeddings labelsOnly(Dataset<?> data) {
        return new Embeddings(new float[data.size()][0], data.labels(), data.classNames());
    }

    private void print(FewshotReport report) {
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(report));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%d-shot %d-way, %d episodes of %d queries per class, %s classifier, %,d examples"
                + " embedded once (%s)%n", report.shots(), report.ways(), report.episodes(), report.queries(),
                report.embedding().result().classifier(), report.poolSize(), report.data());
        line(out, report.embedding());
        if (report.baseline() != null) {
            line(out, report.baseline());
        }
        if (report.scratch() != null) {
            TransferResult.ScratchComparison s = report.scratch().comparison();
            out.printf(Locale.ROOT, "  %-45s %s after %d epoch(s)%s   %.1f J (%s), %.4f g CO2e%n",
                    "from scratch on " + report.scratch().trainedOn(), Units.percent(s.accuracy()), s.epochs(),
                    s.reached() ? "" : " (stopped by its " + s.stoppedBy() + "; target not reached)",
                    s.energy().joules(), s.energy().method(), s.energy().co2eGrams());
            out.printf(Locale.ROOT, "  (scratch model: %s)%n", s.reference());
            out.printf(Locale.ROOT, "Measured energy ratio few-shot/scratch: %s %.3f%s (scratch scored on %s)%n",
                    s.ratioBound(), s.energyRatio(), s.reached() ? ""
                            : " (a bound: scratch would spend more to reach the accuracy)",
                    report.scratch().evaluatedOn());
        }
        out.printf(Locale.ROOT, "Intervals: %s%n", report.intervalMethod());
        out.flush();
    }

    private static void line(PrintWriter out, Scored scored) {
        EpisodeResult r = scored.result();
        EnergyFigure e = scored.energy();
        out.printf(Locale.ROOT, "  %-45s %s +- %s [%s, %s]   %.1f J (%s), %.4f g CO2e%n", r.features(),
                Units.percent(r.mean()), Units.percent(r.halfWidth()), Units.percent(r.low()), Units.percent(r.high()),
                e.joules(), e.method(), e.co2eGrams());
    }

    private void validate() {
        scratchOptions.validate();
        if (perClass < 1) {
            throw new IllegalArgumentException("--per-class must be at least 1, got " + perClass);
        }
        backboneOptions.validate();
        new EpisodeConfig(shots, queries, episodes, ways, seed.seed()); // one-line errors for the episode settings
        int need = query == null ? shots + queries : Math.max(shots, queries);
        if (perClass < need) {
            throw new IllegalArgumentException("--per-class " + perClass + " keeps too few examples per class for "
                    + shots + "-shot episodes with " + queries + " queries per class (needs " + need + ")");
        }
        FewShotClassifier.byName(classifier);
    }
}
