package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Dataset;
import dev.verdant.data.Split;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.runtime.OrtFeatureExtractor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.train.EnergyProbe;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.TokenEncoder;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.Trainer;
import dev.verdant.train.TrainingData;
import dev.verdant.train.TrainingResult;
import dev.verdant.train.TrainingSession;
import dev.verdant.train.zoo.TransformerClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Transfer learning on a pretrained ONNX model: cut it (at a named tensor, or before its classifier), freeze it,
 * compute its features of the new data once in ONNX Runtime, train a new head on them, optionally fine-tune the
 * last layers before the cut with the head through the interpreter, and export one ONNX model. Token encoders
 * (all-MiniLM-L6-v2) are cut at their mean-pooled output; their layers are encoder blocks, fine-tuned on the texts
 * tokenized once and batched to each batch's longest text. When the config is to choose settings
 * ({@link TransferConfig#choosesSettings()}), a validation split of the training data is held out first and
 * {@link SettingsSearch} chooses the cut, head and rate on it before the head trains; its energy is part of the
 * transfer's.
 *
 * <pre>{@code
 * TransferConfig config = TransferConfig.builder().optHead(new Head.Mlp(128)).optCompareScratch(20).build();
 * try (TrackedRun run = Tracker.start("transfer")) {
 *     TransferResult result = new TransferLearner(config).fit(digitsCnn, "lenet5-digits.onnx", train, test, run);
 * }
 * }</pre>
 */
public final class TransferLearner {

    /** The prefix of the metadata keys this class writes: {@code verdant.transfer.}, in {@link Provenance}'s scheme. */
    public static final String PREFIX = Provenance.key(Provenance.TRANSFER, "");
    static final int EXTRACT_BATCH = 256;
    private static final int SCRATCH_BATCH = 64;
    private static final int WARM_UP_SAMPLES = 32;

    private final TransferConfig config;

    public TransferLearner(TransferConfig config) {
        this.config = config;
    }

    /** The backbone {@code source} gives under this config: a token encoder mean-pooled, anything else cut. */
    public Backbone backbone(ModelProto source) {
        return Backbone.of(source, config.cut());
    }

    /**
     * Runs the transfer, measured under {@code run}: the transfer as one task, the scratch baseline (when asked) as
     * another.
     *
     * @param sourceName the backbone's file or built-in name, for the metadata
     * @param train      images (a float-input backbone) or texts (a token encoder)
     * @param test       held-out data of the same kind and classes
     */
    public TransferResult fit(ModelProto source, String sourceName, Dataset<?> train, Dataset<?> test, TrackedRun run) {
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("the training and held-out data have different classes");
        }
        if (config.scratchTinyTransformer() && !(config.comparesScratch() && train instanceof TextDataset)) {
            throw new IllegalArgumentException("--scratch-tiny-transformer needs a token encoder backbone with texts,"
                    + " and --compare-scratch");
        }
        Backbone backbone = backbone(source);
        if (config.choosesSettings() && ModelInputs.of(source).readsText()) {
            throw new IllegalArgumentException("a token encoder has one cut: choosing the settings needs an image"
                    + " backbone; give the head, epochs and learning rate");
        }
        // the backbone weights that stay fixed while the last K layers fine-tune; K beyond its layers fails here
        List<String> unfreezing = backbone.parametersOfLastLayers(config.unfreezeLast());
        Set<String> frozen = new HashSet<>(backbone.parameters());
        frozen.removeAll(unfreezing);
        Optional<Path> tokenizer = config.tokenizer().or(() -> ModelInputs.of(source).readsText()
                ? Optional.of(BuiltinModel.MINILM.tokenizerFile()) : Optional.empty());
        // fine-tuning chooses its epoch on a validation part held out before the head trains, so neither phase
        // has seen the samples that choose; the held-out test data never chooses anything
        Dataset<?> validation = null;
        Dataset<?> trainPart = train;
        if (config.validatesFinetuning() || config.choosesSettings()) {
            var parts = validationSplit(train);
            trainPart = parts.train();
            validation = parts.heldOut();
        }
        // texts are tokenized once, by whichever phase trains through the interpreter first, and reused
        TrainingInputs inputs = new TrainingInputs(trainPart, test, tokenizer, config.maxTokens());
        int classes = train.classCount();
        // load both engines before measuring, so neither the transfer nor the scratch run pays their one-off start-up
        ai.djl.engine.Engine.getEngine("PyTorch");
        OrtRunner.loadRuntime();

        // one small untimed pass first, so the JIT compiles the shared code outside both measurements: otherwise
        // whichever phase runs first (the transfer) pays the JVM's warm-up and the comparison leans against it
        int warmUp = Math.min(WARM_UP_SAMPLES, Math.min(trainPart.size(), test.size()));
        HeadPhase warmed = headPhase(new HeadSettings(backbone, config.head(), config.learningRate(),
                Optional.empty()), trainPart.subset(warmUp), test.subset(warmUp), tokenizer, classes, 1, run,
                new ArrayList<>());
        if (config.unfreezeLast() > 0) {
            ScratchBaseline.warmUp(warmed.model(), trainConfig(1, config.finetuneLearningRate(), frozen, run),
                    inputs.warmUp(warmUp, true), inputs.warmUp(warmUp, false));
        }

        ModelProto model;
        long[] featureShape;
        List<HeadEpoch> headEpochs = new ArrayList<>();
        TrainingResult finetune = null;
        List<String> unfrozen = List.of();
        double accuracy;
        double headAccuracy;
        EnergyReport transferEnergy;
        Optional<SettingsChoice> choice = Optional.empty();
        try (TrackedTask task = run.task("transfer")) {
            HeadSettings settings = new HeadSettings(backbone, config.head(), config.learningRate(), Optional.empty());
            SettingsSearch.Outcome outcome = null;
            EnergyFigure searchEnergy = null;
            if (config.choosesSettings()) {
                // the search is part of the transfer's energy: it runs inside the transfer task
                try (TrackedTask search = run.task("transfer: choosing settings")) {
                    outcome = new SettingsSearch(this::trialAccuracy, config, EXTRACT_BATCH).choose(source, trainPart, validation, classes, run);
                    searchEnergy = EnergyFigure.of(search.stop());
                }
                backbone = outcome.backbone();
                // epochs chosen: the final head is scored on the validation features after every epoch, best kept
                settings = new HeadSettings(backbone, outcome.head(), outcome.learningRate(),
                        config.toChoose().contains(TransferConfig.Setting.EPOCHS)
                                ? Optional.of(outcome.validationFeatures()) : Optional.empty());
            }
            HeadPhase phase = headPhase(settings, trainPart, test, tokenizer, classes, config.epochs(), run,
                    headEpochs);
            if (outcome != null) {
                choice = Optional.of(choice(outcome, phase, searchEnergy, validation.size()));
            }
            model = phase.model();
            featureShape = phase.featureShape();
            accuracy = phase.accuracy();
            headAccuracy = accuracy;
            if (config.unfreezeLast() > 0) {
                // the backbone and the trained head as one graph through the interpreter: the last K layers and the
                // head train, every other backbone weight stays as pretrained
                unfrozen = unfreezing;
                Trainer finetuner = new Trainer(trainConfig(config.finetuneEpochs(), config.finetuneLearningRate(),
                        frozen, run));
                finetune = validation == null ? finetuner.fit(model, sourceName, inputs.train(), inputs.test())
                        : finetuner.fit(model, sourceName,
                                new TrainingData.ValidationSplit(inputs.train(), inputs.of(validation)), inputs.test());
                model = finetune.model();
                accuracy = finetune.finalAccuracy();
            }
            transferEnergy = task.stop();
        }

        Optional<TransferResult.ScratchComparison> scratch = Optional.empty();
        Optional<TransferResult.ScratchComparison> secondary = Optional.empty();
        if (config.comparesScratch()) {
            ModelProto fresh = ScratchBaseline.reinitialize(model, config.seed());
            // scratch trains with the from-scratch recipe of `verdant train` (batch 64, the optimizer's default rate),
            // not the head's: a head on fixed features takes larger steps than a whole network should
            ScratchBaseline.Budget budget = new ScratchBaseline.Budget(config.scratchMaxEpochs(),
                    config.scratchMaxJoules());
            ScratchBaseline.Result result = ScratchBaseline.trainUntil(fresh, trainConfig(1, SCRATCH_BATCH,
                    config.optimizer().defaultLearningRate(), Set.of(), run), inputs.train(), inputs.test(), accuracy,
                    budget, run);
            scratch = Optional.of(result.against(EnergyFigure.of(transferEnergy), budget,
                    ScratchBaseline.describe(fresh, "the transfer model's architecture")));
            if (config.scratchTinyTransformer()) {
                secondary = Optional.of(tinyTransformerFromScratch(trainPart, test, tokenizer, accuracy, budget,
                        EnergyFigure.of(transferEnergy), run));
            }
        }
        Optional<Double> backboneEnergy = Provenance.get(source, Provenance.TRAIN, "energy_joules")
                .map(Double::parseDouble);
        EnergyFigure energy = EnergyFigure.of(transferEnergy);
        int validationSamples = finetune != null ? finetune.validationSamples()
                : choice.map(SettingsChoice::validationSamples).orElse(0);
        TransferResult result = new TransferResult(model, backbone.featureTensor(), featureShape,
                choice.map(SettingsChoice::head).orElse(config.head().describe()), unfrozen, trainPart.size(),
                test.size(), accuracy, headAccuracy, headEpochs, finetune == null ? List.of() : finetune.epochs(),
                energy, backboneEnergy, scratch, secondary, validationSamples,
                finetune == null ? 0 : finetune.keptEpoch(), choice);
        return withModel(result, Provenance.withEntries(model, metadata(result, sourceName, train.name())));
    }

    /**
     * The secondary reference: the zoo's tiny transformer (width 64, 2 layers), built for the same tokenizer and
     * classes, trained from scratch on the same texts (ids padded to {@code maxTokens}) with the same recipe and
     * budget as the primary scratch run, until it reaches the transfer accuracy.
     */
    private TransferResult.ScratchComparison tinyTransformerFromScratch(Dataset<?> train, Dataset<?> test,
            Optional<Path> tokenizer, double target, ScratchBaseline.Budget budget, EnergyFigure transferEnergy,
            TrackedRun run) {
        TokenEncoder encoder = new TokenEncoder(tokenizer.orElseThrow(), config.maxTokens());
        ModelProto tiny = TransformerClassifier.tiny(encoder.vocabularySize(), config.maxTokens(),
                train.classCount(), config.seed()).build();
        ScratchBaseline.Result result = ScratchBaseline.trainUntil(tiny, trainConfig(1, SCRATCH_BATCH,
                config.optimizer().defaultLearningRate(), Set.of(), run),
                TrainingData.of(encoder.encode((TextDataset) train)), TrainingData.of(encoder.encode((TextDataset) test)),
                target, budget, run);
        return result.against(transferEnergy, budget, ScratchBaseline.describe(tiny,
                "secondary reference, NOT the same architecture: the zoo's tiny transformer"));
    }

    /** The public account of a search's outcome and of the final head's epochs. */
    private SettingsChoice choice(SettingsSearch.Outcome outcome, HeadPhase phase, EnergyFigure searchEnergy,
            int validationSamples) {
        List<String> chosen = config.toChoose().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
        return new SettingsChoice(chosen, outcome.backbone().featureTensor(),
                outcome.validationFeatures().featureSize(), outcome.head().describe(), outcome.learningRate(),
                config.batchSize(), config.epochs(), phase.keptEpoch(), phase.validationAccuracy(), validationSamples,
                outcome.searchSamples(), outcome.epochs(), outcome.trials(), outcome.skippedCuts(), searchEnergy);
    }

    /** {@code train} less the validation part fine-tuning chooses its epoch on (stratified, drawn by the seed). */
    private Split<? extends Dataset<?>> validationSplit(Dataset<?> train) {
        try {
            return train.stratifiedSplit(1 - config.validationFraction(), config.seed());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot hold out a validation fraction of "
                    + config.validationFraction() + " of " + train.name() + " (" + train.size() + " samples): "
                    + e.getMessage() + "; give a larger fraction" + (config.choosesSettings()
                            ? ", or --cut to choose no settings" : ", or 0 to fine-tune without validation"), e);
        }
    }

    /**
     * What the head phase trains: the backbone to cut at, the head, its learning rate, and, when the epoch kept is
     * to be chosen, the validation part's features at that cut.
     */
    private record HeadSettings(Backbone backbone, Head head, float learningRate,
            Optional<TabularDataset> validationFeatures) {
    }

    /**
     * The backbone and its trained head as one model, the features' shape, the model's held-out accuracy, and the
     * head epoch kept with its validation accuracy (NaN when there was no validation).
     */
    private record HeadPhase(ModelProto model, long[] featureShape, double accuracy, int keptEpoch,
            double validationAccuracy) {
    }

    /** Features once in ONNX Runtime, the head trained on them, the spliced model evaluated in ONNX Runtime. */
    private HeadPhase headPhase(HeadSettings settings, Dataset<?> train, Dataset<?> test, Optional<Path> tokenizer,
            int classes, int epochs, TrackedRun run, List<HeadEpoch> headEpochs) {
        long[] featureShape;
        TabularDataset trainFeatures;
        Backbone backbone = settings.backbone();
        try (OrtFeatureExtractor extractor = OrtFeatureExtractor.load(backbone.model(), config.threads(),
                tokenizer, config.maxTokens())) {
            featureShape = extractor.outputSampleShape(train);
            trainFeatures = extractor.extract(train, EXTRACT_BATCH);
        }
        long opset = OnnxGraph.of(backbone.model()).opset();
        ModelProto head = settings.head().build(trainFeatures.featureSize(), classes, config.seed(), opset);
        TrainedHead trained = trainHead(head, trainFeatures, epochs, settings.learningRate(),
                settings.validationFeatures(), run, headEpochs);
        ModelProto model = HeadSplice.attach(backbone, trained.head(), featureShape.length > 1);
        return new HeadPhase(model, featureShape, accuracy(model, test, tokenizer), trained.keptEpoch(),
                trained.validationAccuracy());
    }

    /**
     * A trained head, the epoch whose weights it holds, and its validation accuracy there (NaN without validation).
     */
    record TrainedHead(ModelProto head, int keptEpoch, double validationAccuracy) {
    }

    /**
     * Trains the head on the cached features for a fixed number of epochs. Unlike {@link Trainer}, it does not
     * evaluate the head on the held-out data after every epoch: the exported model is evaluated once at the end.
     * With {@code validation} features, the head is scored on them in ONNX Runtime after every epoch and the best
     * epoch's head is kept (the first of equals); without, the last.
     */
    /** One candidate head of the settings search: trained like the final head, scored on the validation features. */
    private double trialAccuracy(ModelProto untrained, TabularDataset train, TabularDataset validation, int epochs,
            float rate, TrackedRun run) {
        ModelProto trained = trainHead(untrained, train, epochs, rate, Optional.empty(), run, new ArrayList<>()).head();
        return accuracy(trained, validation, Optional.empty());
    }

    TrainedHead trainHead(ModelProto head, TabularDataset features, int epochCount, float learningRate,
            Optional<TabularDataset> validation, TrackedRun run, List<HeadEpoch> epochs) {
        TrainConfig headConfig = trainConfig(epochCount, learningRate, Set.of(), run);
        TrainingData data = TrainingData.of(features);
        int stepsPerEpoch = data.batchCount(headConfig.batchSize());
        LearningRateSchedule schedule = headConfig.schedule().build(headConfig.learningRate(),
                (long) stepsPerEpoch * headConfig.epochs(), headConfig.warmupSteps());
        try (TrainingSession session = new TrainingSession(head, headConfig, schedule)) {
            Random shuffle = new Random(config.seed());
            TrainedHead kept = null;
            for (int epoch = 1; epoch <= epochCount; epoch++) {
                long start = System.nanoTime();
                double energyAtStart = run.itEnergySoFar().joules();
                double loss = data.epoch(session, headConfig.batchSize(), shuffle.nextLong(), epoch, (n, l) -> true);
                double seconds = (System.nanoTime() - start) / 1e9;
                Double validationAccuracy = null;
                if (validation.isPresent()) {
                    ModelProto exported = session.export(Map.of());
                    validationAccuracy = accuracy(exported, validation.get(), Optional.empty());
                    if (kept == null || validationAccuracy > kept.validationAccuracy()) {
                        kept = new TrainedHead(exported, epoch, validationAccuracy);
                    }
                }
                epochs.add(new HeadEpoch(epoch, loss, seconds, features.size() / seconds,
                        run.itEnergySoFar().joules() - energyAtStart, validationAccuracy));
            }
            return kept != null ? kept : new TrainedHead(session.export(Map.of()), epochCount, Double.NaN);
        }
    }

    /**
     * The training and held-out data as the interpreter reads them: feature vectors as they are, texts tokenized
     * (truncated, unpadded) on first use and kept for every later phase.
     */
    private static final class TrainingInputs {
        private final Dataset<?> train;
        private final Dataset<?> test;
        private final Optional<Path> tokenizer;
        private final int maxTokens;
        private TrainingData trainData;
        private TrainingData testData;

        TrainingInputs(Dataset<?> train, Dataset<?> test, Optional<Path> tokenizer, int maxTokens) {
            this.train = train;
            this.test = test;
            this.tokenizer = tokenizer;
            this.maxTokens = maxTokens;
        }

        TrainingData train() {
            if (trainData == null) {
                trainData = of(train);
            }
            return trainData;
        }

        TrainingData test() {
            if (testData == null) {
                testData = of(test);
            }
            return testData;
        }

        /** The first {@code count} samples of either part, for an untimed warm-up (not cached). */
        TrainingData warmUp(int count, boolean trainPart) {
            return of((trainPart ? train : test).subset(count));
        }

        /** Any other part (the validation part) as the interpreter reads it, not cached. */
        TrainingData of(Dataset<?> data) {
            return TrainingData.of(data, tokenizer, maxTokens);
        }
    }

    private TrainConfig trainConfig(int epochs, float learningRate, Set<String> frozen, TrackedRun run) {
        return trainConfig(epochs, config.batchSize(), learningRate, frozen, run);
    }

    private TrainConfig trainConfig(int epochs, int batchSize, float learningRate, Set<String> frozen, TrackedRun run) {
        TrainConfig.Builder builder = TrainConfig.builder().setEpochs(epochs).optBatchSize(batchSize)
                .optSeed(config.seed()).optOptimizer(config.optimizer()).optLearningRate(learningRate)
                .optSchedule(config.schedule()).optThreads(config.threads()).optListener(config.listener())
                .optEnergy(EnergyProbe.of(run)).optVerdantVersion(config.verdantVersion());
        if (!frozen.isEmpty()) {
            // one exact-match pattern for all frozen weights: names may hold glob characters
            builder.optFreeze("regex:" + frozen.stream().sorted().map(Pattern::quote).collect(Collectors.joining("|")));
        }
        return builder.build();
    }

    /** Held-out accuracy of the exported model in ONNX Runtime: the figure a user of the file will see. */
    double accuracy(ModelProto model, Dataset<?> test, Optional<Path> tokenizer) {
        try (OrtFeatureExtractor runner = OrtFeatureExtractor.load(model, config.threads(), tokenizer,
                config.maxTokens())) {
            TabularDataset logits = runner.extract(test, EXTRACT_BATCH);
            int classes = logits.featureSize();
            int correct = 0;
            for (int i = 0; i < logits.size(); i++) {
                float[] row = Arrays.copyOfRange(logits.features(), i * classes, (i + 1) * classes);
                correct += OrtClassifier.argmax(row) == test.label(i) ? 1 : 0;
            }
            return (double) correct / test.size();
        }
    }

    private Map<String, String> metadata(TransferResult result, String sourceName, String data) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(PREFIX + "backbone", sourceName);
        entries.put(PREFIX + "cut", result.cutTensor());
        entries.put(PREFIX + "head", result.head());
        entries.put(PREFIX + "unfrozen", String.join(",", result.unfrozenParameters()));
        entries.put(PREFIX + "data", data);
        entries.put(PREFIX + "train_samples", Integer.toString(result.trainSamples()));
        entries.put(PREFIX + "epochs", config.epochs() + (result.finetuneEpochs().isEmpty() ? ""
                : " + " + config.finetuneEpochs() + " fine-tuning"));
        result.settings().ifPresent(choice -> {
            entries.put(PREFIX + "chosen_on_validation", String.join(",", choice.chosen()));
            entries.put(PREFIX + "learning_rate", Float.toString(choice.learningRate()));
            entries.put(PREFIX + "head_kept_epoch", Integer.toString(choice.keptEpoch()));
            entries.put(PREFIX + "settings_search_energy_joules", String.format(Locale.ROOT, "%.1f",
                    choice.searchEnergy().joules()));
        });
        if (result.validationSamples() > 0) {
            entries.put(PREFIX + "validation_samples", Integer.toString(result.validationSamples()));
            entries.put(PREFIX + "finetune_kept_epoch", Integer.toString(result.finetuneKeptEpoch()));
        }
        entries.put(PREFIX + "seed", Long.toString(config.seed()));
        entries.put(PREFIX + "test_accuracy", String.format(Locale.ROOT, "%.4f", result.accuracy()));
        entries.put(PREFIX + "energy_joules", String.format(Locale.ROOT, "%.1f", result.energy().joules()));
        entries.put(PREFIX + "energy_method", result.energy().method());
        entries.put(PREFIX + "co2e_grams", String.format(Locale.ROOT, "%.4f", result.energy().co2eGrams()));
        entries.put(PREFIX + "verdant_version", config.verdantVersion());
        result.scratch().ifPresent(s -> entries.put(PREFIX + "scratch_energy_ratio",
                String.format(Locale.ROOT, "%.4f", s.energyRatio())));
        return entries;
    }

    private static TransferResult withModel(TransferResult r, ModelProto model) {
        return new TransferResult(model, r.cutTensor(), r.featureShape(), r.head(), r.unfrozenParameters(),
                r.trainSamples(), r.testSamples(), r.accuracy(), r.headAccuracy(), r.headEpochs(), r.finetuneEpochs(), r.energy(),
                r.backboneEnergyJoules(), r.scratch(), r.secondaryScratch(), r.validationSamples(),
                r.finetuneKeptEpoch(), r.settings());
    }
}
