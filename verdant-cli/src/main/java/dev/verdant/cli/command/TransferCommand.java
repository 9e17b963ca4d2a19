package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.VersionProvider;
import dev.verdant.cli.option.BackboneOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.ScratchOptions;
import dev.verdant.cli.option.SeedOptions;
import dev.verdant.data.DataSource;
import dev.verdant.data.Dataset;
import dev.verdant.data.Datasets;
import dev.verdant.data.Split;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.io.Json;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.train.EpochResult;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.ScheduleKind;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.transfer.Backbone;
import dev.verdant.train.transfer.EnergyFigure;
import dev.verdant.train.transfer.Head;
import dev.verdant.train.transfer.HeadEpoch;
import dev.verdant.train.transfer.SettingsChoice;
import dev.verdant.train.transfer.TransferConfig;
import dev.verdant.train.transfer.TransferLearner;
import dev.verdant.train.transfer.TransferResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant transfer}: reuses a pretrained model's layers for new classes, and measures the energy it saves. */
@Command(
        name = "transfer",
        header = "Transfer learning: reuse a pretrained backbone with a new head.",
        mixinStandardHelpOptions = true,
        description = "Transfer learning: cut a pretrained ONNX model at a tensor (by default the input of its last "
                + "classifier layer), freeze it, compute its features of the new data once in ONNX Runtime, train a new "
                + "head on them, optionally fine-tune the last K layers before the cut with the head, and write one "
                + "ONNX model. A token encoder (--backbone minilm) is cut at its attention-mask-weighted mean over "
                + "tokens; its layers are encoder layers, fine-tuned on the texts tokenized once and batched to each "
                + "batch's longest text. Energy and CO2e are measured; --compare-scratch also trains the same "
                + "architecture from scratch to the same accuracy in the same run, within --scratch-max-epochs and "
                + "--scratch-max-joules, and reports the measured energy ratio (a bound when scratch falls short). "
                + "For an image backbone without --cut (and without --unfreeze), the cut, and the head, learning rate "
                + "and epochs the user did not give, are chosen on a validation split of the training data (never "
                + "the test data): linear heads on the features of every activation or pooling output (up to 4,096 "
                + "values) at two learning rates, an MLP head at the best cut, then the epoch with the best "
                + "validation accuracy; what was chosen is printed, and its energy is part of the transfer's.",
        footer = {"", "Example: verdant transfer --backbone lenet5-digits.onnx --data fashion-mnist --classes 10"
                + " --head mlp:128 --cut Flatten --out lenet5-fashion.onnx --compare-scratch"})
public final class TransferCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Mixin
    BackboneOptions backboneOptions = new BackboneOptions();

    @Option(names = "--data", paramLabel = "DATA", required = true,
            description = "Labelled images for an image backbone, labelled texts for a token encoder: "
                    + Datasets.ACCEPTED + ". Without a predefined test part, 20%% of each class is held out.")
    String data;

    @Option(names = "--classes", paramLabel = "N", required = true,
            description = "Classes of the new head; must match the data.")
    int classes;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the ONNX model.")
    Path out;

    @Option(names = "--head", paramLabel = "HEAD",
            description = "linear, mlp:HIDDEN, or an ONNX head model reading [N, D] features (default: chosen when no"
                    + " --cut is given, else linear).")
    String head;

    @Option(names = "--unfreeze", paramLabel = "last:K",
            description = "After the head, fine-tune the last K layers before the cut with it (image models: layers"
                    + " with weights; token encoders: encoder layers).")
    String unfreeze;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "With --unfreeze, the fraction of the training data held out (stratified by class) before"
                    + " the head trains, to choose the fine-tuning epoch whose weights are written: the one with the"
                    + " best validation accuracy; without --cut, the fraction the settings are chosen on. Never the"
                    + " held-out test data, whose accuracy is reported (default 0.1; 0 trains on all of it and keeps"
                    + " the last epoch).")
    Double validation;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Head epochs (default " + TransferConfig.DEFAULT_EPOCHS + "; without --cut, the most of"
                    + " which the epoch with the best validation accuracy is kept).")
    Integer epochs;

    @Option(names = "--finetune-epochs", paramLabel = "N",
            description = "Fine-tuning epochs with --unfreeze (default: as --epochs).")
    Integer finetuneEpochs;

    @Option(names = "--batch", paramLabel = "N",
            description = "Batch size (default 64; " + TransferConfig.CHOSEN_SETTINGS_BATCH_SIZE + " when the settings"
                    + " are chosen).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Head learning rate (default: chosen when no --cut is given, else 1e-3; AdamW).")
    Float learningRate;

    @Option(names = "--finetune-lr", paramLabel = "RATE",
            description = "Fine-tuning learning rate with --unfreeze (default: a tenth of --lr).")
    Float finetuneLearningRate;

    @Mixin
    SeedOptions seed = new SeedOptions(1);

    @Option(names = "--limit", paramLabel = "N", description = "Train on a class-stratified subset of N training samples.")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate on a class-stratified subset of N held-out samples.")
    Integer testLimit;

    @Mixin
    ScratchOptions scratchOptions = new ScratchOptions();

    @Option(names = "--scratch-tiny-transformer", description = "With a token encoder and --compare-scratch, also train"
            + " the zoo's tiny transformer from scratch on the same texts within the same budget: a labelled secondary"
            + " reference (not the same architecture) that trains many more steps per joule.")
    boolean scratchTinyTransformer;

    /**
     * What {@code verdant transfer} reports.
     *
     * @param out              the written model
     * @param backbone         the backbone's file or name
     * @param cut              the tensor it was cut at
     * @param featureShape     one sample's features at the cut
     * @param head             the head
     * @param unfrozen         the backbone weights fine-tuned
     * @param data             the data's description
     * @param trainSamples     training samples
     * @param testSamples      held-out samples
     * @param testAccuracy     held-out accuracy of the written model in ONNX Runtime
     * @param headAccuracy     held-out accuracy with the head trained, before fine-tuning
     * @param energy           the transfer's energy
     * @param scratch          the scratch comparison, when asked
     * @param secondaryScratch the zoo's tiny transformer from scratch, when asked (not the same architecture)
     * @param backboneEnergyJoules pretraining energy from the backbone's provenance, when recorded
     * @param total            the whole command's energy
     * @param headEpochs       the head's epochs on the cached features
     * @param finetuneEpochs   the fine-tuning epochs, evaluated in ONNX Runtime after each
     * @param validationSamples training samples held out to choose the fine-tuning epoch kept; 0 when none were
     * @param finetuneKeptEpoch the fine-tuning epoch whose weights were written; 0 without fine-tuning
     * @param settings         the settings chosen on the validation split and how, when any were (null otherwise)
     * @param metadata         what was written into the model's metadata
     */
    record TransferReport(String out, String backbone, String cut, List<Long> featureShape, String head,
            List<String> unfrozen, String data, int trainSamples, int testSamples, double testAccuracy,
            double headAccuracy,
            EnergyFigure energy, TransferResult.ScratchComparison scratch,
            TransferResult.ScratchComparison secondaryScratch, Double backboneEnergyJoules,
            EnergyFigure total, List<HeadEpoch> headEpochs, List<EpochResult> finetuneEpochs, int validationSamples,
            int finetuneKeptEpoch, SettingsChoice settings, Map<String, String> metadata) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = output.err();
        validate();
        Path input = backboneOptions.modelFile();
        RunFiles files = RunFiles.none().reading(input, backboneOptions.tokenizer().orElse(null),
                Datasets.pathOf(data), headFile()).writing("--out", out).check();
        ModelProto source = OnnxModels.read(input);
        boolean texts = ModelInputs.of(source).readsText();
        TransferConfig config = config(err, texts);
        Backbone backbone = new TransferLearner(config).backbone(source); // a bad --cut fails here, before any data
        if (config.unfreezeLast() > 0) {
            backbone.parametersOfLastLayers(config.unfreezeLast()); // and so does --unfreeze beyond its layers
        }
        DataSource<?> resolved = Datasets.resolve(data);
        DataSource<?> dataSource = texts ? Datasets.texts(resolved, data) : Datasets.images(resolved, data);
        dataSource.note().ifPresent(note -> err.println("verdant: " + note));
        Prepared prepared = prepare(dataSource);
        Dataset<?> train = prepared.train();
        Dataset<?> test = prepared.test();
        if (classes != train.classCount()) {
            throw new IllegalArgumentException("--classes " + classes + " but " + dataSource.name() + " has "
                    + train.classCount() + " classes; the head writes one logit per class of the data");
        }
        if (!output.json()) {
            err.printf(Locale.ROOT, "verdant: transfer from %s to %s: %,d training samples%s, %,d held out%n",
                    input.getFileName(), dataSource.name(), train.size(), config.validatesFinetuning()
                            || config.choosesSettings()
                            ? " (" + java.math.BigDecimal.valueOf(config.validationFraction()).movePointRight(2)
                                    .stripTrailingZeros().toPlainString() + "% of each class kept for validation"
                                    + (config.choosesSettings() ? ", to choose the " + String.join(", ",
                                            config.toChoose().stream().map(TransferCommand::settingName).toList())
                                            : "") + ")"
                            : "", test.size());
            err.flush();
        }
        TransferResult result;
        EnergyReport total;
        try (TrackedRun run = Tracker.builder().build().startRun("verdant transfer")) {
            result = new TransferLearner(config).fit(source, input.getFileName().toString(), train, test, run);
            total = run.stop();
        }
        OnnxModels.write(result.model(), out, files.inputArray());
        TransferReport report = new TransferReport(out.toString(), backboneOptions.backbone(), result.cutTensor(),
                java.util.Arrays.stream(result.featureShape()).boxed().toList(), result.head(),
                result.unfrozenParameters(), dataSource.description(), result.trainSamples(), result.testSamples(),
                result.accuracy(), result.headAccuracy(), result.energy(), result.scratch().orElse(null),
                result.secondaryScratch().orElse(null),
                result.backboneEnergyJoules().orElse(null), EnergyFigure.of(total), result.headEpochs(),
                result.finetuneEpochs(), result.validationSamples(), result.finetuneKeptEpoch(),
                result.settings().orElse(null), dev.verdant.onnx.OnnxGraph.of(result.model()).metadata());
        result.settings().ifPresent(choice -> describeChoice(choice, result.energy(), err));
        print(report);
        return ExitCode.OK;
    }

    private void print(TransferReport report) {
        PrintWriter stdout = output.out();
        if (output.json()) {
            stdout.println(Json.write(report));
            stdout.flush();
            return;
        }
        stdout.printf(Locale.ROOT, "Wrote %s: test accuracy %s in ONNX Runtime (%s cut at '%s', features %s, head %s%s)%n",
                report.out(), Units.percent(report.testAccuracy()), report.backbone(), report.cut(),
                report.featureShape(), report.head(), report.unfrozen().isEmpty() ? ""
                        : ", fine-tuned " + report.unfrozen());
        HeadEpoch last = report.headEpochs().get(report.headEpochs().size() - 1);
        stdout.printf(Locale.ROOT, "Head: %d epochs on features computed once, final train loss %.4f%s%s%n",
                report.headEpochs().size(), last.trainLoss(), report.settings() == null ? ""
                        : String.format(Locale.ROOT, "; kept epoch %d (best on the validation split)",
                                report.settings().keptEpoch()), report.finetuneEpochs().isEmpty() ? ""
                        : String.format(Locale.ROOT, "; %s with the backbone frozen, %s fine-tuned (epoch %d of %d)",
                                Units.percent(report.headAccuracy()), Units.percent(report.testAccuracy()),
                                report.finetuneKeptEpoch(), report.finetuneEpochs().size()));
        if (!report.finetuneEpochs().isEmpty()) {
            stdout.println(finetuneSummary(report));
        }
        stdout.printf(Locale.ROOT, "Transfer energy: %s%s%n", describe(report.energy()), report.settings() == null
                ? "" : String.format(Locale.ROOT, ", choosing the settings included (%.1f J)",
                        report.settings().searchEnergy().joules()));
        for (TransferResult.ScratchComparison s : java.util.stream.Stream.of(report.scratch(),
                report.secondaryScratch()).filter(java.util.Objects::nonNull).toList()) {
            stdout.printf(Locale.ROOT, "From scratch (%s): %s after %d epoch(s), %,d step(s) (%s), %s%n", s.reference(),
                    Units.percent(s.accuracy()), s.epochs(), s.steps(), s.reached() ? "reached the transfer accuracy"
                            : "stopped by its " + s.stoppedBy() + ", below the " + Units.percent(report.testAccuracy())
                            + " transfer accuracy", describe(s.energy()));
            stdout.printf(Locale.ROOT, "Measured energy ratio transfer/scratch: %s %.3f%s%s%n", s.ratioBound(),
                    s.energyRatio(), report.settings() == null ? "" : " (the transfer's choosing of settings included)",
                    s.reached() ? "" : " (a bound: scratch would spend more to reach the accuracy)");
        }
        if (report.backboneEnergyJoules() != null) {
            stdout.printf(Locale.ROOT, "Backbone pretraining (from its provenance): %.0f J%n", report.backboneEnergyJoules());
        }
        stdout.flush();
    }

    /** Each fine-tuning epoch's held-out (and validation) accuracy, and which epoch's weights were written. */
    private static String finetuneSummary(TransferReport report) {
        StringBuilder line = new StringBuilder("Fine-tuning: ");
        if (report.validationSamples() > 0) {
            line.append(String.format(Locale.ROOT, "kept epoch %d of %d, best on %,d validation samples held out of"
                    + " the training data;", report.finetuneKeptEpoch(), report.finetuneEpochs().size(),
                    report.validationSamples()));
        } else {
            line.append("no validation split, kept the last epoch;");
        }
        for (EpochResult epoch : report.finetuneEpochs()) {
            line.append(String.format(Locale.ROOT, " epoch %d %s%s test%s", epoch.epoch(),
                    epoch.validationAccuracy() == null ? "" : Units.percent(epoch.validationAccuracy()) + " validation, ",
                    Units.percent(epoch.testAccuracy()), epoch.epoch() == report.finetuneKeptEpoch() ? " (kept)" : ""));
            line.append(epoch.epoch() < report.finetuneEpochs().size() ? "," : "");
        }
        return line.toString();
    }

    /** The stderr lines that say what was chosen, on what, and at what cost. */
    private static void describeChoice(SettingsChoice choice, EnergyFigure transferEnergy, PrintWriter err) {
        err.printf(Locale.ROOT, "verdant: chosen on %,d validation samples held out of the training data (not the"
                + " test data): cut '%s' (%,d features), head %s, learning rate %s, batch %d, head epoch %d of %d"
                + " (validation %s)%n", choice.validationSamples(), choice.cut(), choice.featureSize(), choice.head(),
                choice.learningRate(), choice.batchSize(), choice.keptEpoch(), choice.maxEpochs(),
                Units.percent(choice.validationAccuracy()));
        StringBuilder trials = new StringBuilder();
        for (SettingsChoice.Trial trial : choice.trials()) {
            trials.append(trials.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s/%s/%s %s",
                    trial.cut(), trial.head(), trial.learningRate(), Units.percent(trial.validationAccuracy())));
        }
        err.printf(Locale.ROOT, "verdant: trials (%d epochs on %,d training samples each; cut/head/rate validation"
                + " accuracy): %s%s%n", choice.searchEpochs(), choice.searchSamples(), trials,
                choice.skippedCuts().isEmpty() ? "" : "; skipped " + String.join(", ", choice.skippedCuts()));
        err.printf(Locale.ROOT, "verdant: choosing cost %.1f J (%s) of the transfer's %.1f J%n",
                choice.searchEnergy().joules(), choice.searchEnergy().method(), transferEnergy.joules());
        err.flush();
    }

    private static String settingName(TransferConfig.Setting setting) {
        return setting.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String describe(EnergyFigure energy) {
        return String.format(Locale.ROOT, "%.1f J (%s), %.4f g CO2e, %.1f s", energy.joules(), energy.method(),
                energy.co2eGrams(), energy.seconds());
    }

    private TransferConfig config(PrintWriter err, boolean texts) {
        TransferConfig.Builder builder = TransferConfig.builder()
                .optSeed(seed.seed()).optThreads(backboneOptions.threads()).optChooseUnset(!texts)
                .optMaxTokens(backboneOptions.maxTokens())
                .optOptimizer(OptimizerConfig.adamW()).optSchedule(ScheduleKind.COSINE)
                .optVerdantVersion(VersionProvider.version())
                .optListener(output.json() ? TrainingListener.NONE : TrainingListener.epochLog(err));
        backboneOptions.cutAt().ifPresent(builder::optCut);
        // what the user gave wins; what they left unset is chosen on a validation split when no cut is given
        if (head != null) {
            builder.optHead(parseHead());
        }
        if (epochs != null) {
            builder.optEpochs(epochs);
        }
        if (batch != null) {
            builder.optBatchSize(batch);
        }
        if (unfreeze != null) {
            builder.optUnfreezeLast(parseUnfreeze(unfreeze));
        }
        if (finetuneEpochs != null) {
            builder.optFinetuneEpochs(finetuneEpochs);
        }
        if (validation != null) {
            builder.optValidation(validation);
        }
        if (learningRate != null) {
            builder.optLearningRate(learningRate);
        }
        if (finetuneLearningRate != null) {
            builder.optFinetuneLearningRate(finetuneLearningRate);
        }
        if (scratchOptions.compare()) {
            builder.optCompareScratch(scratchOptions.maxEpochs()).optScratchMaxJoules(scratchOptions.maxJoules(texts))
                    .optScratchTinyTransformer(scratchTinyTransformer);
        }
        backboneOptions.tokenizerFile(texts).ifPresent(builder::optTokenizer);
        return builder.build();
    }

    /** The head model file when --head names one, else null. */
    private Path headFile() {
        return head != null && head.endsWith(".onnx") ? Path.of(head) : null;
    }

    private Head parseHead() {
        if (head.endsWith(".onnx")) {
            Path file = Path.of(head);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such head model: " + file);
            }
            return new Head.Given(OnnxModels.read(file));
        }
        return Head.parse(head);
    }

    /** {@code last:K} with K a whole number of layers. */
    static int parseUnfreeze(String text) {
        if (text.startsWith("last:")) {
            try {
                int layers = Integer.parseInt(text.substring("last:".length()));
                if (layers >= 0) {
                    return layers;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("--unfreeze takes last:K with K >= 0 layers (e.g. last:2), got '" + text + "'");
    }

    /** The training and held-out data, each cut to its limit. */
    private record Prepared(Dataset<?> train, Dataset<?> test) {
    }

    private <D extends Dataset<D>> Prepared prepare(DataSource<D> source) {
        Split<D> split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, seed.seed());
        return new Prepared(stratifiedSubset(split.train(), limit), stratifiedSubset(split.heldOut(), testLimit));
    }

    private static <D extends Dataset<D>> D stratifiedSubset(D data, Integer count) {
        if (count == null || count >= data.size()) {
            return data;
        }
        return data.stratifiedSplit((double) count / data.size(), 7).train();
    }

    private void validate() {
        if (epochs != null && epochs < 1 || (finetuneEpochs != null && finetuneEpochs < 1)) {
            throw new IllegalArgumentException("--epochs and --finetune-epochs must be at least 1");
        }
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("--classes must be at least 2, got " + classes);
        }
        if (limit != null && limit < 1 || testLimit != null && testLimit < 1) {
            throw new IllegalArgumentException("--limit and --test-limit must be at least 1");
        }
        scratchOptions.validate();
        if (validation != null && !(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("--validation takes a fraction in [0, 1) (0 for none), got " + validation);
        }
        if (scratchTinyTransformer && !scratchOptions.compare()) {
            throw new IllegalArgumentException("--scratch-tiny-transformer goes with --compare-scratch");
        }
        backboneOptions.validate();
        if (unfreeze != null) {
            parseUnfreeze(unfreeze);
        }
    }
}
