package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.CheckFailedException;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.VersionProvider;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.RuntimeOptions;
import dev.verdant.cli.option.SeedOptions;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.DataSource;
import dev.verdant.data.Dataset;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.ImageAugmentation;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.io.InputFiles;
import dev.verdant.io.Json;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import dev.verdant.train.EnergyProbe;
import dev.verdant.train.EpochResult;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.ProgressBarListener;
import dev.verdant.train.ScheduleKind;
import dev.verdant.train.TokenEncoder;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.Trainer;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.TrainingResult;
import dev.verdant.train.zoo.Architecture;
import dev.verdant.train.zoo.Zoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant train}: trains a zoo architecture from scratch, or fine-tunes an ONNX model, on labelled data. */
@Command(
        name = "train",
        header = "Train a zoo architecture or fine-tune an ONNX model, on the JVM.",
        mixinStandardHelpOptions = true,
        description = "Train a zoo architecture (--arch) from seeded weights, or fine-tune an ONNX classifier (--model), "
                + "on labelled images or texts. The graph runs on PyTorch through Verdant's ONNX interpreter; after "
                + "every epoch the exported model is evaluated in ONNX Runtime on the held-out data and written to "
                + "--out: the same ONNX graph with the trained weights and the run's provenance in its metadata.",
        footer = {"", "Example: verdant train --arch lenet5 --data fashion-mnist --out lenet5.onnx"})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Start start;

    /** Where the weights start: a zoo architecture or an existing model. */
    static final class Start {
        @Option(names = "--arch", paramLabel = "ARCH",
                description = "Zoo architecture to train from scratch: mlp (LeNet-300-100), lenet5 (LeCun's, 62k "
                        + "parameters), lenet5-caffe (Caffe's, 431k, the one Deep Compression's paper compresses), "
                        + "mobilenet (images), transformer (texts, e.g. --data wordnet-nouns).")
        String arch;

        @Option(names = "--model", paramLabel = "MODEL",
                description = "ONNX classifier to fine-tune (one input, logits output), or a built-in model name.")
        String model;
    }

    @Option(names = "--data", paramLabel = "DATA", defaultValue = Datasets.FASHION_MNIST,
            description = "Labelled images (fashion-mnist, mnist-digits, an IDX folder, ...) or, for a transformer, "
                    + "labelled texts (wordnet-nouns, fortunes, a .tsv); default ${DEFAULT-VALUE}. Without a "
                    + "predefined test part, 20%% of each class is held out.")
    String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1.0",
            description = "Width multiplier of mobilenet (default ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adamw",
            description = "adamw (decoupled weight decay 0.01) or sgd (momentum 0.9, weight decay 5e-4); default ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Peak learning rate (default: 1e-3 for adamw, 0.05 for sgd).")
    Float learningRate;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine",
            description = "Learning-rate schedule: cosine, step (x0.1 each third) or constant; default ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
            description = "Linear warm-up steps before the schedule (default ${DEFAULT-VALUE}).")
    long warmupSteps;

    @Mixin
    SeedOptions seed = new SeedOptions(1);

    @Option(names = "--freeze", paramLabel = "PATTERN",
            description = "Keep parameters matching this glob (or regex:...) fixed, e.g. 'conv*' (repeatable).")
    List<String> freeze = List.of();

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "cross-entropy",
            description = "cross-entropy or mse (against one-hot labels); with --teacher, distillation (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--teacher", paramLabel = "MODEL",
            description = "Distil from this ONNX classifier (run in ONNX Runtime on each batch): "
                    + "alpha * T^2 * KL(teacher || student at temperature T) + (1 - alpha) * cross-entropy.")
    String teacher;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "4",
            description = "Distillation temperature (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7",
            description = "Weight of the teacher's soft targets in distillation (default ${DEFAULT-VALUE}).")
    float alpha;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions(0);

    @Option(names = "--seq-len", paramLabel = "T", defaultValue = "32",
            description = "Tokens per text for --arch transformer (default ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "HuggingFace tokenizer.json for text data (default: all-MiniLM-L6-v2's, built in).")
    Path tokenizer;

    @Option(names = "--augment", paramLabel = "SPEC", defaultValue = "none", description = "Random changes to every "
            + "training batch's images: shiftN (up to N pixels each way), flip (mirror half of them), shift2+flip, or "
            + "none (default). With --teacher, the teacher sees the same changed images.")
    String augment;

    @Option(names = "--limit", paramLabel = "N", description = "Train on N training samples only, drawn at random (seeded).")
    Integer limit;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0",
            description = "Hold out this fraction of the training data (stratified by class) and write the model of"
                    + " the epoch with the best accuracy on it (ties: the earlier epoch); the held-out test data never"
                    + " chooses. Default ${DEFAULT-VALUE}: train on all of it and keep the last epoch.")
    double validation;

    @Option(names = "--min-accuracy", paramLabel = "FRACTION",
            description = "Exit 1 when the final held-out accuracy is below this (e.g. 0.9); the model is written anyway.")
    Double minAccuracy;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "Where to write the trained ONNX model (atomically, after every epoch).")
    Path out;

    /** Whether stderr is an interactive terminal; tests set it false. */
    boolean interactive = isTerminal();

    /**
     * What {@code verdant train} reports.
     *
     * @param out             the trained model file
     * @param startedFrom     the architecture or model the weights started from
     * @param data            the data's description
     * @param trainSamples    training samples per epoch (without the validation samples)
     * @param testSamples     held-out samples the accuracy is measured on
     * @param params          floating-point parameters of the model
     * @param macs            multiply-accumulates for one sample
     * @param initialAccuracy held-out accuracy before training (ONNX Runtime)
     * @param testAccuracy    held-out accuracy of the written file (ONNX Runtime): after the last epoch, or after the
     *                        kept one with --validation
     * @param seconds         wall-clock time of the run
     * @param energyJoules    IT energy spent (before PUE), measured or estimated by the energy tracker
     * @param energyMethod    how the energy was obtained; else null
     * @param emissionsGrams  CO2e of the run, as the energy tracker reports it (with PUE and grid intensity)
     * @param epochs          per-epoch figures
     * @param validationSamples training samples held out to choose the epoch kept; 0 without --validation
     * @param keptEpoch       the epoch whose weights were written
     * @param provenance      what was written into the model's metadata
     */
    record TrainReport(String out, String startedFrom, String data, int trainSamples, int testSamples, long params,
            long macs, double initialAccuracy, double testAccuracy, double seconds, Double energyJoules,
            String energyMethod, double emissionsGrams, List<EpochResult> epochs, int validationSamples, int keptEpoch,
            Map<String, String> provenance) {
    }

    /** The data and the starting model, ready to train: images or token ids, whichever the model reads. */
    private record Prepared(ModelProto model, String startedFrom, FeatureDataset<?> train, FeatureDataset<?> test,
            String dataDescription) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = output.err();
        validate();
        Path input = start.model != null ? BuiltinModel.resolve(start.model) : null;
        Path teacherFile = teacher != null ? BuiltinModel.resolve(teacher) : null;
        requireModelFile(input);
        requireModelFile(teacherFile);
        RunFiles files = RunFiles.none().reading(input, teacherFile, tokenizer, Datasets.pathOf(data))
                .writing("--out", out).check();
        ModelProto startModel = input != null ? OnnxModels.read(input) : null;
        boolean text = startModel != null ? ModelInputs.of(startModel).readsOneIdTensor() : Zoo.readsText(start.arch);
        Prepared prepared = text ? prepareText(startModel, input, err) : prepareImages(startModel, input, err);
        FeatureDataset<?> train = prepared.train();
        FeatureDataset<?> test = prepared.test();
        String startedFrom = prepared.startedFrom();
        ModelProto model = prepared.model();
        ModelSummary summary = inspect(model, train.sampleShape(), startedFrom);

        OptimizerConfig optimizerConfig = OptimizerConfig.byName(optimizer);
        TrainConfig.Builder config = TrainConfig.builder().setEpochs(epochs).optBatchSize(batch).optSeed(seed.seed())
                .optOptimizer(optimizerConfig).optSchedule(ScheduleKind.byName(schedule)).optWarmupSteps(warmupSteps)
                .optThreads(runtime.threads()).optVerdantVersion(VersionProvider.version())
                .optListener(TrainingListener.all(listener(err), checkpointWriter(files)));
        if (learningRate != null) {
            config.optLearningRate(learningRate);
        }
        freeze.forEach(config::optFreeze);
        ImageAugmentation augmentation = ImageAugmentation.parse(augment);
        if (!augmentation.isIdentity() && train.sampleShape().length < 2) {
            throw new IllegalArgumentException("--augment " + augment + " changes images; these samples have shape "
                    + java.util.Arrays.toString(train.sampleShape()));
        }
        config.optAugmentation(augmentation);
        config.optLoss(trainingLoss());
        config.optValidation(validation);
        if (teacher != null) {
            config.optTeacher(OnnxModels.read(teacherFile));
        }
        if (!output.json()) {
            err.printf(Locale.ROOT, "verdant: training %s (%,d params, %s MACs) on %s: %,d samples, %,d held out, %d epochs%n",
                    startedFrom, summary.params(), Units.count(summary.macs()), train.name(), train.size(), test.size(),
                    epochs);
            err.flush();
        }
        TrainingResult result;
        EnergyReport energy;
        try (TrackedRun run = Tracker.start("verdant train " + startedFrom)) {
            config.optEnergy(EnergyProbe.of(run));
            result = new Trainer(config.build()).fit(model, startedFrom, train, test);
            energy = run.stop();
        }
        // the last checkpoint is the result's model, already written; with a validation split the kept one may be earlier
        if (result.validationSamples() > 0) {
            OnnxModels.write(result.model(), out, files.inputArray());
        }

        var provenance = result.provenance();
        TrainReport report = new TrainReport(out.toString(), startedFrom, prepared.dataDescription(),
                provenance.trainSamples(), test.size(),
                summary.params(), summary.macs(), result.initialAccuracy(), result.finalAccuracy(), provenance.seconds(),
                provenance.energyJoules().orElse(null), provenance.energyMethod().orElse(null),
                energy.emissions().grams(), result.epochs(), result.validationSamples(), result.keptEpoch(),
                provenance.toMetadata());
        PrintWriter stdout = output.out();
        if (output.json()) {
            stdout.println(Json.write(report));
        } else {
            stdout.printf(Locale.ROOT, "Wrote %s: test accuracy %s in ONNX Runtime (from %s), %d epochs in %.1f s%s%n",
                    out, Units.percent(report.testAccuracy()), Units.percent(report.initialAccuracy()), epochs,
                    report.seconds(), report.energyJoules() == null ? ""
                            : String.format(Locale.ROOT, ", %.0f J (%s), %.2g g CO2e", report.energyJoules(),
                                    report.energyMethod(), report.emissionsGrams()));
            if (report.validationSamples() > 0) {
                stdout.printf(Locale.ROOT, "Kept epoch %d of %d, best on %,d validation samples held out of the training"
                        + " data (validation accuracy by epoch: %s)%n", report.keptEpoch(), epochs,
                        report.validationSamples(), report.epochs().stream()
                                .map(e -> Units.percent(e.validationAccuracy())).toList());
            }
        }
        stdout.flush();
        if (minAccuracy != null && report.testAccuracy() < minAccuracy) {
            throw new CheckFailedException(String.format(Locale.ROOT, "test accuracy %.4f is below --min-accuracy %.4f",
                    report.testAccuracy(), minAccuracy));
        }
        return ExitCode.OK;
    }

    private Prepared prepareImages(ModelProto startModel, Path input, PrintWriter err) {
        DataSource<ImageDataset> source = Datasets.images(Datasets.resolve(data), data);
        source.note().ifPresent(note -> err.println("verdant: " + note));
        Split<ImageDataset> split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, seed.seed());
        ImageDataset train = limited(split.train());
        if (startModel != null) {
            return new Prepared(startModel, input.getFileName().toString(), train, split.heldOut(), source.description());
        }
        Architecture architecture = Zoo.imageClassifier(start.arch, train.classCount(), width, seed.seed());
        return new Prepared(architecture.build(), "zoo:" + architecture.id(), train, split.heldOut(),
                source.description());
    }

    /** Texts tokenized to the model's sequence length (a fine-tuned model's own, else --seq-len). */
    private Prepared prepareText(ModelProto startModel, Path input, PrintWriter err) {
        DataSource<TextDataset> source = Datasets.texts(Datasets.resolve(data), data);
        source.note().ifPresent(note -> err.println("verdant: " + note));
        Path tokenizerFile = tokenizer != null ? tokenizer : BuiltinModel.MINILM.tokenizerFile();
        InputFiles.requireReadable(tokenizerFile, "a tokenizer.json");
        int length = startModel != null ? fixedSequenceLength(startModel) : sequenceLength;
        TokenEncoder encoder = new TokenEncoder(tokenizerFile, length);
        Split<TextDataset> split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, seed.seed());
        TextDataset trainTexts = limited(split.train());
        TabularDataset train = encoder.encode(trainTexts);
        TabularDataset test = encoder.encode(split.heldOut());
        String description = source.description() + ", tokenized by " + tokenizerFile.getFileName() + " to " + length
                + " tokens";
        if (startModel != null) {
            return new Prepared(startModel, input.getFileName().toString(), train, test, description);
        }
        Architecture architecture = Zoo.textClassifier(start.arch, encoder.vocabularySize(), length,
                trainTexts.classCount(), seed.seed());
        return new Prepared(architecture.build(), "zoo:" + architecture.id(), train, test, description);
    }

    /** A random (seeded) subset for --limit: files are often sorted by class, so the first N would be biased. */
    private <D extends Dataset<D>> D limited(D train) {
        return limit == null || limit >= train.size() ? train : train.shuffled(seed.seed()).subset(limit);
    }

    private static int fixedSequenceLength(ModelProto model) {
        var dims = OnnxGraph.of(model).inputs().get(0).getType().getTensorType().getShape().getDimList();
        if (dims.size() != 2 || !dims.get(1).hasDimValue()) {
            throw new IllegalArgumentException("a token-id model must take [N, T] with a fixed T to be fine-tuned here");
        }
        return Math.toIntExact(dims.get(1).getDimValue());
    }

    private TrainingLoss trainingLoss() {
        if (teacher != null) {
            return new TrainingLoss.Distillation(temperature, alpha);
        }
        return switch (loss.toLowerCase(Locale.ROOT)) {
            case "cross-entropy", "ce" -> new TrainingLoss.CrossEntropy();
            case "mse" -> new TrainingLoss.MeanSquaredError();
            default -> throw new IllegalArgumentException("unknown loss '" + loss + "'; expected cross-entropy or mse");
        };
    }

    private void validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        runtime.validate();
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        if (sequenceLength < 2) {
            throw new IllegalArgumentException("--seq-len must be at least 2, got " + sequenceLength);
        }
        if (start.model != null && width != 1.0) {
            throw new IllegalArgumentException("--width applies to --arch mobilenet, not to --model");
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("--validation takes a fraction in [0, 1) (0 for none), got " + validation);
        }
        if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("--min-accuracy must be a fraction in [0, 1], got " + minAccuracy);
        }
        OptimizerConfig.byName(optimizer);
        ScheduleKind.byName(schedule);
        if (teacher != null && !(temperature > 0 && alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation needs --temperature > 0 and --alpha in [0, 1]");
        }
        trainingLoss();
    }

    /** Refuses, before any training, an output that would replace this input model or cannot be a file. */
    private static void requireModelFile(Path input) {
        if (input != null) {
            InputFiles.requireReadable(input, "an ONNX model file");
        }
    }

    private static ModelSummary inspect(ModelProto model, long[] sampleShape, String label) {
        var inputs = OnnxGraph.of(model).inputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(label + " has " + inputs.size() + " inputs; training needs a classifier"
                    + " with one input");
        }
        var dims = inputs.get(0).getType().getTensorType().getShape().getDimList();
        long[] declared = dims.stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
        long[] shape = BatchTensors.inputShape(sampleShape, 1, declared);
        return ModelInspector.inspect(label, model.getSerializedSize(), model, Map.of(inputs.get(0).getName(), shape));
    }

    /** Writes each epoch's checkpoint to --out (atomically), so an interrupted run keeps its last finished epoch. */
    private TrainingListener checkpointWriter(RunFiles files) {
        return new TrainingListener() {
            @Override
            public void checkpointReady(int epoch, ModelProto checkpoint) {
                OnnxModels.write(checkpoint, out, files.inputArray());
            }
        };
    }

    private TrainingListener listener(PrintWriter err) {
        if (output.json()) {
            return TrainingListener.NONE;
        }
        TrainingListener log = TrainingListener.epochLog(err);
        return interactive ? TrainingListener.all(new ProgressBarListener(System.err), log) : log;
    }

    /** Whether the JVM talks to a terminal: {@code Console.isTerminal()} where the JDK has it (22+). */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only for a terminal
        }
    }
}
