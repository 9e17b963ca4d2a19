package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Dataset;
import dev.verdant.data.TabularDataset;
import dev.verdant.energy.TrackedRun;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.OrtFeatureExtractor;
import dev.verdant.train.transfer.TransferConfig.Setting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the settings a transfer was not given, on a validation split of the training data (never the held-out
 * test data). For each candidate cut ({@link Backbone#candidateCuts}) the features of a stratified search subset of
 * the training part and of the validation part are computed once in ONNX Runtime; every head and learning rate
 * under trial trains on those cached features for a few epochs and is scored by its validation accuracy in ONNX
 * Runtime. Cuts whose features exceed {@value #MAX_FEATURES} values per sample are skipped (the head's cost grows
 * with them). Linear heads are tried at every cut; an MLP head only at the best cut, and kept only when it beats the
 * linear head there by {@value #MLP_MARGIN} (it costs several times more per step). The number of epochs is chosen
 * later, on the same validation features, by the run that trains the chosen head on the whole training part.
 */
final class SettingsSearch {

    /** Training samples the candidates train on (a stratified subset of the training part when it is larger). */
    static final int SEARCH_SAMPLES = 6_000;
    /** Epochs each candidate trains for (fewer when the run's epochs are fewer). */
    static final int SEARCH_EPOCHS = 5;
    /** Cuts with more features per sample than this are not tried. */
    static final int MAX_FEATURES = 4_096;
    /** Learning rates tried when none is given. */
    static final List<Float> LEARNING_RATES = List.of(0.001f, 0.01f);
    /** The MLP head tried at the best cut when no head is given. */
    static final Head.Mlp MLP_HEAD = new Head.Mlp(128);
    /** Validation accuracy the MLP head must gain over the linear head to be chosen. */
    static final double MLP_MARGIN = 0.005;

    private final HeadTrial trial;
    private final TransferConfig config;
    private final int extractBatch;

    SettingsSearch(HeadTrial trial, TransferConfig config, int extractBatch) {
        this.trial = trial;
        this.config = config;
        this.extractBatch = extractBatch;
    }

    /**
     * What the search chose, with what it needs to train the final head.
     *
     * @param backbone           the source cut at the chosen tensor
     * @param head               the chosen head
     * @param learningRate       the chosen (or given) learning rate
     * @param validationFeatures the validation part's features at the chosen cut, computed once
     * @param trials             every trial, in the order run
     * @param skippedCuts        candidate cuts not tried, each with its reason
     * @param searchSamples      training samples each trial trained on
     * @param epochs             epochs each trial trained for
     */
    record Outcome(Backbone backbone, Head head, float learningRate, TabularDataset validationFeatures,
            List<SettingsChoice.Trial> trials, List<String> skippedCuts, int searchSamples, int epochs) {
        Outcome {
            trials = List.copyOf(trials);
            skippedCuts = List.copyOf(skippedCuts);
        }
    }

    /** The features of the search subset and of the validation part at one cut. */
    private record CutFeatures(Backbone backbone, TabularDataset train, TabularDataset validation) {
    }

    /**
     * Runs the trials on {@code train} (the training part, the validation part already removed) and
     * {@code validation}, spending energy under {@code run}.
     */
    Outcome choose(ModelProto source, Dataset<?> train, Dataset<?> validation, int classes, TrackedRun run) {
        Dataset<?> searchTrain = searchSubset(train);
        int epochs = Math.min(SEARCH_EPOCHS, config.epochs());
        List<String> cuts = config.toChoose().contains(Setting.CUT) ? Backbone.candidateCuts(source)
                : List.of(config.cut().orElseThrow());
        List<Float> rates = config.toChoose().contains(Setting.LEARNING_RATE) ? LEARNING_RATES
                : List.of(config.learningRate());
        Head firstHead = config.toChoose().contains(Setting.HEAD) ? new Head.Linear() : config.head();
        long opset = OnnxGraph.of(source).opset();
        List<SettingsChoice.Trial> trials = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        CutFeatures best = null;
        SettingsChoice.Trial bestTrial = null;
        for (String cut : cuts) {
            Backbone backbone = Backbone.cut(source, Optional.of(cut));
            CutFeatures features;
            try (OrtFeatureExtractor extractor = OrtFeatureExtractor.load(backbone.model(), config.threads(),
                    Optional.empty(), config.maxTokens())) {
                long size = Arrays.stream(extractor.outputSampleShape(searchTrain)).reduce(1, Math::multiplyExact);
                if (size > MAX_FEATURES) {
                    skipped.add(cut + " (" + size + " features > " + MAX_FEATURES + ")");
                    continue;
                }
                features = new CutFeatures(backbone, extractor.extract(searchTrain, extractBatch),
                        extractor.extract(validation, extractBatch));
            }
            for (float rate : rates) {
                SettingsChoice.Trial trial = trial(features, firstHead, rate, classes, epochs, opset, run);
                trials.add(trial);
                if (bestTrial == null || trial.validationAccuracy() > bestTrial.validationAccuracy()) {
                    bestTrial = trial;
                    best = features;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidate cut gives at most " + MAX_FEATURES
                    + " features per sample (skipped: " + String.join(", ", skipped) + "); name one with --cut");
        }
        Head head = firstHead;
        float rate = bestTrial.learningRate();
        if (config.toChoose().contains(Setting.HEAD)) {
            SettingsChoice.Trial linear = bestTrial;
            for (float mlpRate : rates) {
                SettingsChoice.Trial trial = trial(best, MLP_HEAD, mlpRate, classes, epochs, opset, run);
                trials.add(trial);
                if (trial.validationAccuracy() >= linear.validationAccuracy() + MLP_MARGIN
                        && trial.validationAccuracy() > bestTrial.validationAccuracy()) {
                    bestTrial = trial;
                    head = MLP_HEAD;
                    rate = mlpRate;
                }
            }
        }
        return new Outcome(best.backbone(), head, rate, best.validation(), trials, skipped, searchTrain.size(),
                epochs);
    }

    private SettingsChoice.Trial trial(CutFeatures features, Head head, float rate, int classes, int epochs, long opset,
            TrackedRun run) {
        ModelProto untrained = head.build(features.train().featureSize(), classes, config.seed(), opset);
        double accuracy = trial.trainAndScore(untrained, features.train(), features.validation(), epochs, rate, run);
        return new SettingsChoice.Trial(features.backbone().featureTensor(), features.train().featureSize(), head.describe(), rate,
                accuracy);
    }

    /** The training part, or a class-stratified subset of {@value #SEARCH_SAMPLES} of it when it is larger. */
    private Dataset<?> searchSubset(Dataset<?> train) {
        if (train.size() <= SEARCH_SAMPLES) {
            return train;
        }
        return train.stratifiedSplit((double) SEARCH_SAMPLES / train.size(), config.seed()).train();
    }
}
