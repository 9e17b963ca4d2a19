package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.Batch;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.InputTensors;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SequenceRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.StateLinks;
import dev.verdant.runtime.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real inputs of one compression run, in two disjoint parts: calibration batches for the passes and check
 * batches for fidelity, accuracy and timing. Text encoders get tokenized sentences; models with one float input get
 * labelled examples whose shape must match that input.
 *
 * @param description what the data is, for the report and provenance
 * @param calibration batches the passes calibrate on
 * @param check       batches the result is checked on
 * @param labels      the label of each check example in order, or null when the data has none the model predicts
 * @param sequences   the check examples of a stateful model, run whole (each model carrying its own state); empty
 *                    for a model without state, whose check examples are {@code check}
 */
public record EvaluationData(String description, List<CalibrationSample> calibration, List<CalibrationSample> check,
        int[] labels, List<InputSample> sequences) {

    /** The default corpus for text encoders: WordNet noun glosses (Debian {@code wordnet-base}). */
    public static final String DEFAULT_TEXTS = Datasets.WORDNET_NOUNS;

    /** The most held-out images or feature rows the default check takes (all of Fashion-MNIST's test part). */
    public static final int MAX_DEFAULT_HELD_OUT_CHECK = 10_000;

    /** The most input the default check of images or feature rows holds in memory: 64 MiB of float32. */
    public static final long MAX_DEFAULT_CHECK_BYTES = 64L << 20;

    public EvaluationData {
        calibration = List.copyOf(calibration);
        check = List.copyOf(check);
        sequences = List.copyOf(sequences);
    }

    /**
     * Loads and batches the data for {@code model}.
     *
     * @param dataSpec  dataset name or path, or null for the default of the model's kind
     * @param ref       the model as resolved for this run (a text encoder needs its tokenizer)
     * @return the data, or empty when the model is not a text encoder and no data was given
     * @throws IllegalArgumentException when the data does not fit the model (wrong kind or shape)
     */
    public static Optional<EvaluationData> load(ModelProto model, String dataSpec, ModelRef ref,
            CompressionRequest request) {
        if (request.inputs() != null) {
            return Optional.of(fromSamples(model, request.inputs(), request));
        }
        if (ModelInputs.of(model).readsText()) {
            return Optional.of(texts(model, dataSpec == null ? DEFAULT_TEXTS : dataSpec, ref.requireTokenizer(),
                    request));
        }
        if (dataSpec == null) {
            return Optional.empty();
        }
        return Optional.of(features(model, dataSpec, request));
    }

    /**
     * The user's examples: the first half calibrates (at most {@code --calibration} of them), the rest checks (at
     * most {@code --check}); no labels. A stateful model's calibration sees each step with the state the original
     * carries into it, recorded by running the original through the sequence, and its check examples stay whole
     * sequences.
     */
    static EvaluationData fromSamples(ModelProto model, InputSamples samples, CompressionRequest request) {
        List<InputSample> all = samples.samples();
        if (all.size() < 2) {
            throw new IllegalArgumentException(samples.description() + " holds " + all.size() + " example"
                    + (all.size() == 1 ? "" : "s") + "; calibrating and checking need at least one each");
        }
        int calibrationCount = Math.min(request.calibration(), all.size() / 2);
        int checkCount = Math.min(request.checkExamplesOr(CompressionRequest.FEW_CHECK), all.size() - all.size() / 2);
        List<InputSample> calibrationSamples = all.subList(0, calibrationCount);
        List<InputSample> checkSamples = all.subList(all.size() / 2, all.size() / 2 + checkCount);
        StateLinks states = request.quality().states();
        samples.requireInputs(ModelInputs.of(model).names(), states.stateInputs());
        String description = samples.description() + ": " + calibrationCount + " calibration + " + checkCount
                + " check examples";
        if (states.isEmpty()) {
            return new EvaluationData(description, stepBatches(calibrationSamples, request.batchSize()),
                    stepBatches(checkSamples, request.batchSize()), null, List.of());
        }
        try (OrtRunner original = OrtRunner.open(model, SessionSpec.threads(request.threads()))) {
            return new EvaluationData(description + " run as sequences (state " + states.links() + ")",
                    recorded(original, states, calibrationSamples), recorded(original, states, checkSamples), null,
                    checkSamples);
        }
    }

    /** Every step of every sequence with the state the original carried into it. */
    private static List<CalibrationSample> recorded(OrtRunner original, StateLinks states,
            List<InputSample> samples) {
        List<CalibrationSample> steps = new ArrayList<>();
        for (InputSample sample : samples) {
            SequenceRunner.run(original, states, sample).inputs().forEach(step -> steps.add(
                    new CalibrationSample(step)));
        }
        return steps;
    }

    private static EvaluationData texts(ModelProto model, String dataSpec, Path tokenizerFile,
            CompressionRequest request) {
        TextDataset texts = Datasets.resolveTexts(dataSpec).loadAll();
        int checkWanted = request.checkExamplesOr(CompressionRequest.FEW_CHECK);
        int needed = request.calibration() + checkWanted;
        if (texts.size() < 2) {
            throw new IllegalArgumentException(dataSpec + " holds " + texts.size() + " texts; at least 2 are needed");
        }
        // calibration and checking read disjoint parts: calibration first, the check set after it
        int calibrationCount = Math.min(request.calibration(), texts.size() / 2);
        int checkCount = Math.min(checkWanted, texts.size() - calibrationCount);
        List<String> all = texts.texts();
        List<String> calibrationTexts = all.subList(0, calibrationCount);
        List<String> checkTexts = all.subList(calibrationCount, calibrationCount + checkCount);
        EncoderInputs.requireSomeUntruncated(tokenizerFile, calibrationTexts, request.sequenceLength(),
                "calibration texts of " + dataSpec);
        EncoderInputs.requireSomeUntruncated(tokenizerFile, checkTexts, request.sequenceLength(),
                "check texts of " + dataSpec);
        String description = texts.name() + ": " + calibrationCount + " calibration + " + checkCount
                + " check sentences" + (needed > texts.size() ? " (all it holds)" : "") + ", "
                + request.padding().describe(request.sequenceLength());
        return new EvaluationData(description,
                EncoderInputs.batches(model, tokenizerFile, calibrationTexts, request.batchSize(),
                        request.sequenceLength(), request.padding()),
                EncoderInputs.batches(model, tokenizerFile, checkTexts, request.batchSize(), request.sequenceLength(),
                        request.padding()),
                null, List.of());
    }

    private static EvaluationData features(ModelProto model, String dataSpec, CompressionRequest request) {
        List<ValueInfoProto> inputs = OnnxGraph.of(model).inputs();
        if (inputs.size() != 1 || inputs.get(0).getType().getTensorType().getElemType() != DataType.FLOAT.code()) {
            throw new IllegalArgumentException("--data feeds models with one float input; this model takes "
                    + inputs.stream().map(ValueInfoProto::getName).toList());
        }
        ValueInfoProto input = inputs.get(0);
        DataSource<?> source = Datasets.resolve(dataSpec);
        FeatureDataset<?> calibrationSet;
        FeatureDataset<?> checkSet;
        // the predefined parts, or the seeded split verdant train and the retraining steps hold out: the check never
        // looks at an example the model (or its base, trained with the same seed) trained on
        Split<?> split;
        try {
            split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, request.seed());
        } catch (IllegalArgumentException e) { // too few examples to split; the message names the set, not the path
            throw new IllegalArgumentException(dataSpec + ": " + e.getMessage(), e);
        }
        calibrationSet = asFeatures(split.train(), dataSpec);
        checkSet = asFeatures(split.heldOut(), dataSpec);
        if (calibrationSet.size() == 0 || checkSet.size() == 0) {
            throw new IllegalArgumentException(dataSpec + " holds " + (calibrationSet.size() + checkSet.size())
                    + " examples; calibrating and checking need at least one each");
        }
        long[] modelShape = dims(input.getType().getTensorType().getShape());
        long[] sampleShape = calibrationSet.sampleShape();
        long[] batchShape = fit(modelShape, sampleShape, input.getName());
        calibrationSet = (FeatureDataset<?>) calibrationSet.select(range(0, Math.min(request.calibration(),
                calibrationSet.size())));
        int checkWanted = request.checkExamplesOr(defaultHeldOutCheck(sampleShape));
        checkSet = (FeatureDataset<?>) checkSet.select(range(0, Math.min(checkWanted, checkSet.size())));
        String description = source.name() + ": " + calibrationSet.size() + " calibration + " + checkSet.size()
                + " check examples";
        return new EvaluationData(description, batches(calibrationSet, input.getName(), batchShape, request),
                batches(checkSet, input.getName(), batchShape, request), checkSet.labels().clone(), List.of());
    }

    /**
     * How many held-out examples of {@code sampleShape} the default check takes: as many as
     * {@link #MAX_DEFAULT_CHECK_BYTES} hold, at least {@link CompressionRequest#FEW_CHECK} and at most
     * {@link #MAX_DEFAULT_HELD_OUT_CHECK} (10,000 Fashion-MNIST images; 256 ImageNet-sized ones).
     */
    static int defaultHeldOutCheck(long[] sampleShape) {
        long bytes = Float.BYTES * Math.max(1, Arrays.stream(sampleShape).reduce(1, Math::multiplyExact));
        return (int) Math.max(CompressionRequest.FEW_CHECK, Math.min(MAX_DEFAULT_HELD_OUT_CHECK,
                MAX_DEFAULT_CHECK_BYTES / bytes));
    }

    /** The steps of {@code samples} in batches of {@code batchSize} when they stack, else one by one. */
    private static List<CalibrationSample> stepBatches(List<InputSample> samples, int batchSize) {
        List<Map<String, InputTensor>> steps = samples.stream().flatMap(s -> s.steps().stream()).toList();
        List<CalibrationSample> batches = new ArrayList<>();
        boolean stack = batchSize > 1 && steps.get(0).keySet().stream().allMatch(name -> InputTensors.stackable(
                steps.stream().map(step -> step.get(name)).toList()));
        int size = stack ? batchSize : 1;
        for (int from = 0; from < steps.size(); from += size) {
            List<Map<String, InputTensor>> group = steps.subList(from, Math.min(steps.size(), from + size));
            Map<String, InputTensor> batch = new java.util.LinkedHashMap<>();
            for (String name : group.get(0).keySet()) {
                batch.put(name, InputTensors.stack(name, group.stream().map(step -> step.get(name)).toList()));
            }
            batches.add(new CalibrationSample(batch));
        }
        return batches;
    }

    private static FeatureDataset<?> asFeatures(Object dataset, String spec) {
        return switch (dataset) {
            case ImageDataset images -> images;
            case TabularDataset table -> table;
            default -> throw new IllegalArgumentException(spec + " is not images or a table, so it cannot feed a "
                    + "model with a float input");
        };
    }

    /** The per-example shape the model wants (its dims after the batch), checked against the data's. */
    private static long[] fit(long[] modelShape, long[] sampleShape, String inputName) {
        long sampleSize = Arrays.stream(sampleShape).reduce(1, Math::multiplyExact);
        long[] perExample = Arrays.copyOfRange(modelShape, 1, modelShape.length);
        boolean known = Arrays.stream(perExample).allMatch(d -> d > 0);
        long modelSize = known ? Arrays.stream(perExample).reduce(1, Math::multiplyExact) : sampleSize;
        if (modelShape.length < 2 || modelSize != sampleSize) {
            throw new IllegalArgumentException("calibration data of shape " + Arrays.toString(sampleShape)
                    + " does not fit model input '" + inputName + "' of shape " + Arrays.toString(modelShape));
        }
        return known ? perExample : sampleShape;
    }

    private static List<CalibrationSample> batches(FeatureDataset<?> dataset, String inputName, long[] perExample,
            CompressionRequest request) {
        List<CalibrationSample> batches = new ArrayList<>();
        for (Batch batch : dataset.batches(request.batchSize())) {
            long[] shape = new long[perExample.length + 1];
            shape[0] = batch.labels().length;
            System.arraycopy(perExample, 0, shape, 1, perExample.length);
            batches.add(new CalibrationSample(Map.of(inputName, InputTensor.ofFloats(shape, batch.features()))));
        }
        return batches;
    }

    private static long[] dims(TensorShapeProto shape) {
        return shape.getDimList().stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    private static int[] range(int from, int to) {
        int[] indices = new int[Math.max(0, to - from)];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }

    /**
     * Refuses, in one line, a calibration set of text smaller than one batch: a step that calibrates would see only
     * a batch shorter (and, padded to its longest, narrower) than those it is checked and timed on.
     *
     * @throws IllegalArgumentException when the calibration texts do not fill one batch
     */
    public void requireCalibrationBatch(CompressionRequest request) {
        boolean text = !calibration.isEmpty() && calibration.get(0).inputs().containsKey(ModelInputs.INPUT_IDS);
        int texts = calibration.stream().mapToInt(EvaluationData::batchSize).sum();
        if (text && texts < request.batchSize()) {
            throw new IllegalArgumentException("the calibration set has " + texts + " texts, fewer than a batch of "
                    + request.batchSize() + "; give --calibration " + request.batchSize() + " or more (and as much "
                    + "data), or a smaller --batch");
        }
    }

    /** Examples in the check set. */
    public int checkExamples() {
        return check.stream().mapToInt(EvaluationData::batchSize).sum();
    }

    /**
     * The examples in a batch: the smallest first dim of its inputs that have one (a scalar such as Silero's
     * {@code sr} has none, and a state such as its {@code 2x1x128} leads with another axis), 1 when none has.
     */
    static int batchSize(CalibrationSample sample) {
        return Math.toIntExact(sample.inputs().values().stream().filter(t -> t.shape().length > 0)
                .mapToLong(t -> t.shape()[0]).min().orElse(1));
    }
}
