package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.quality.OutputComparison;
import dev.verdant.quality.OutputQuality;
import dev.verdant.quality.ToleranceSet;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.SequenceRunner;
import dev.verdant.runtime.SequenceRunner.SequenceRun;
import dev.verdant.bench.SideBySide;
import dev.verdant.bench.SideBySide.Plan;
import dev.verdant.bench.SideBySide.Timing;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.compress.CompressionPass.Need;

import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.compress.quantize.SensitivityAnalysis;

import dev.verdant.compress.retrain.RetrainingProgress;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.data.BatchPadding;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Measured;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Subgraphs;
import dev.verdant.report.Compression.Accuracy;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Compression.EnergyPerThousand;
import dev.verdant.report.Compression.Latency;
import dev.verdant.report.Compression.LayerSensitivity;
import dev.verdant.report.Compression.ModelFigures;
import dev.verdant.report.Compression.OutputRow;
import dev.verdant.report.Compression.StepReport;
import dev.verdant.report.Compression;
import dev.verdant.report.Result;
import dev.verdant.report.RunInfo;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a recipe end to end: reads the model, validates and applies each pass, checks the result against the
 * original in ONNX Runtime on real inputs (fidelity or accuracy, latency side by side, energy), compares it with the
 * stated tolerances, and writes the output atomically with its provenance only when every tolerance held.
 */
public final class Compressor {

    /** Untimed runs of each model before latency or energy is measured. */
    static final int LATENCY_WARMUPS = 3;
    /** The fewest batches in one block of a model's runs while the energy module measures it. */
    static final int ENERGY_BATCHES = 8;
    /**
     * The least time each model runs while the energy module measures it: the CPU-time estimate reads {@code /proc}
     * in 10 ms clock ticks (RAPL counters tick about every millisecond), and eight batches of a small CNN take 2 ms,
     * which read as 0 or 10 ms: the same LeNet-5 measured 0.02 and 0.32 J per 1,000 images in two runs. A second
     * keeps one tick within 1 % of the reading.
     */
    static final long ENERGY_MIN_NANOS = 1_000_000_000L;

    private Compressor() {
    }

    /**
     * Compresses and reports.
     *
     * @throws IllegalArgumentException for bad input (unreadable model, recipe a pass refuses, data that does not
     *                                  fit), before anything is written
     */
    public static Result run(CompressionRequest request) {
        return run(request, RetrainingProgress.NONE);
    }

    /**
     * Compresses and reports as {@link #run(CompressionRequest)} does, telling {@code progress} how every retraining
     * run of the recipe goes, epoch by epoch.
     */
    public static Result run(CompressionRequest request, RetrainingProgress progress) {
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        // every file the run reads and writes, checked before any work: the output is never an input
        RunFiles files = request.files().check();
        Path inputPath = request.model().file();
        ModelProto original = request.model().read();
        // --tolerance and --state name outputs and inputs of this model: checked before any work
        List<String> outputNames = OnnxGraph.of(original).outputs().stream().map(ValueInfoProto::getName).toList();
        ToleranceSet tolerances = request.quality().toleranceSet().validate(outputNames, request.quality().metrics());
        request.quality().states().validate(outputNames, ModelInputs.of(original).names());
        // building a pass parses its step; a step that trains gets its setup then, and loads its data when it runs
        List<CompressionPass> passes = request.recipe().passes(request.options(),
                () -> new TrainingSetup(request.data(), request.threads(), request.seed(), request.version(),
                        progress));
        if (request.data() == null) {
            // decided on the model read: prune-structured retrains CNNs and MLPs on labelled data, but prunes an
            // encoder calibrating (and fine-tuning) on the default text
            for (int i = 0; i < passes.size(); i++) {
                if (passes.get(i).needs(original).contains(Need.LABELLED_DATA)) {
                    throw new IllegalArgumentException(
                            TrainingSetup.missingData(request.recipe().steps().get(i).spec()));
                }
            }
        }
        long originalBytes = size(inputPath);
        boolean packed = request.output().getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(VdzContainer.EXTENSION);
        EvaluationData data = EvaluationData.load(original, request.data(), request.model(), request).orElse(null);
        if (data == null && (request.minFidelity() != null || request.maxAccuracyDrop() != null
                || !request.quality().tolerances().isEmpty()
                || passes.stream().anyMatch(p -> p.needs(original).contains(Need.CALIBRATION_DATA)))) {
            throw new IllegalArgumentException("this model needs --data (real inputs) to calibrate or check "
                    + "against; none given");
        }
        // int8-dynamic calibrates its outlier smoothing on the calibration set when it has one
        if (data != null && (request.recipe().has("int8-dynamic")
                || passes.stream().anyMatch(p -> p.needs(original).contains(Need.CALIBRATION_DATA)))) {
            data.requireCalibrationBatch(request);
        }
        if (request.maxAccuracyDrop() != null && (data == null || data.labels() == null)) {
            throw new IllegalArgumentException("--max-accuracy-drop needs labelled data the model classifies");
        }
        PassContext context = new PassContext(data == null ? List.of() : data.calibration(), 0L,
                SessionSpec.threads(request.threads()));

        Measured<PassesApplied> applied = measured("passes", () -> applyPasses(passes, original, context, data,
                request));
        List<StepReport> steps = applied.value().steps();
        List<LayerSensitivity> sensitivity = applied.value().sensitivity();

        Map<String, String> provenance = provenance(request, inputPath, data, applied.report());
        GraphEdit withProvenance = new GraphEdit(applied.value().model());
        provenance.forEach(withProvenance::putMetadata);
        ModelProto compressed = withProvenance.build();
        byte[] bytes = packed ? VdzContainer.pack(compressed).bytes() : compressed.toByteArray();
        // a .vdz is checked as the model it unpacks to, so the figures are those of what the user gets back
        ModelProto runnable = packed ? VdzContainer.unpack(bytes) : compressed;

        ModelFigures originalFigures = figures(request.model().name(), originalBytes, original, data);
        ModelFigures compressedFigures = figures(request.output().toString(), bytes.length, runnable, data);
        Fidelity fidelity = null;
        List<OutputQuality> outputs = List.of();
        Accuracy accuracy = null;
        Latency latency = null;
        EnergyPerThousand energy = null;
        if (data != null) {
            try (OrtRunner before = OrtRunner.open(original, SessionSpec.threads(request.threads()));
                    OrtRunner after = OrtRunner.open(runnable, SessionSpec.threads(request.threads()))) {
                Fidelity.Meter meter = new Fidelity.Meter();
                OutputComparison comparison = new OutputComparison(tolerances, request.quality().metrics());
                int[] correct = new int[4]; // original right, compressed right, only the original, only it
                int seen = 0;
                if (data.sequences().isEmpty()) {
                    for (CalibrationSample batch : data.check()) {
                        Map<String, Output> expected = before.run(batch.inputs());
                        Map<String, Output> actual = after.run(batch.inputs());
                        meter.add(expected, actual, batch);
                        // per-token outputs are compared at real tokens only, as the fidelity's pooling reads them
                        comparison.addBatch(Fidelity.atRealTokens(expected, batch),
                                Fidelity.atRealTokens(actual, batch), EvaluationData.batchSize(batch));
                        if (data.labels() != null) {
                            seen = countCorrect(expected, actual, data.labels(), seen, correct);
                        }
                    }
                } else {
                    // a stateful model: each runs the whole sequence carrying its own state
                    for (InputSample sequence : data.sequences()) {
                        SequenceRun expected = SequenceRunner.run(before, request.quality().states(), sequence);
                        SequenceRun actual = SequenceRunner.run(after, request.quality().states(), sequence);
                        for (int step = 0; step < expected.outputs().size(); step++) {
                            meter.add(expected.outputs().get(step), actual.outputs().get(step),
                                    new CalibrationSample(expected.inputs().get(step)));
                        }
                        comparison.addSequence(expected.outputs(), actual.outputs());
                    }
                }
                fidelity = meter.result();
                outputs = comparison.result();
                if (data.labels() != null) {
                    double a = (double) correct[0] / seen;
                    double b = (double) correct[1] / seen;
                    accuracy = new Accuracy(seen, a, b, (a - b) * 100, correct[2], correct[3]);
                }
                CalibrationSample timed = data.check().get(0);
                List<SideBySide.Workload> pair = List.of(run -> before.run(timed.inputs()),
                        run -> after.run(timed.inputs()));
                if (request.latencyRounds() > 0) {
                    List<Timing> timings = SideBySide.measure(pair,
                            Plan.interleaved(LATENCY_WARMUPS, request.latencyRounds()), () -> 0, () -> { });
                    double originalMillis = timings.get(0).latency().p50Millis();
                    double compressedMillis = timings.get(1).latency().p50Millis();
                    latency = new Latency(request.threads(), shapeText(timed, request), originalMillis,
                            compressedMillis,
                            originalMillis / compressedMillis, request.latencyRounds());
                }
                if (request.measureEnergy()) {
                    energy = energyPerThousand(pair, EvaluationData.batchSize(timed));
                }
            }
        }

        List<Check> checks = new ArrayList<>();
        if (request.minFidelity() != null && fidelity != null) {
            checks.add(new Check("min-fidelity", request.minFidelity(), fidelity.minCosine(),
                    fidelity.minCosine() >= request.minFidelity()));
        }
        if (request.maxAccuracyDrop() != null && accuracy != null) {
            checks.add(new Check("max-accuracy-drop", request.maxAccuracyDrop(), accuracy.dropPoints(),
                    accuracy.dropPoints() <= request.maxAccuracyDrop()));
        }
        for (OutputQuality output : outputs) {
            for (OutputQuality.Verdict verdict : output.verdicts()) {
                if (!verdict.byDefault() && request.quality().enforce()) {
                    checks.add(new Check("tolerance " + verdict.tolerance().describe(), verdict.tolerance().limit(),
                            verdict.value(), verdict.passed()));
                }
            }
        }
        boolean passed = checks.stream().allMatch(Check::passed);
        if (passed) {
            AtomicFiles.write(request.output(), bytes, files.inputArray());
        }
        Compression compression = new Compression(request.model().name(), passed ? request.output().toString() : null,
                request.recipe().spec(), steps, originalFigures, compressedFigures,
                (double) originalBytes / bytes.length, latency, fidelity == null ? null : fidelity.figures(), accuracy,
                energy, sensitivity, checks, provenance, outputs.stream().map(Compressor::row).toList());
        return Result.of(new RunInfo("verdant compress", null, startedAt.toString(),
                (System.nanoTime() - startNanos) / 1e9, null), compression);
    }

    /** One output's comparison as the report records it. */
    private static OutputRow row(OutputQuality output) {
        List<String> bounds = output.verdicts().stream().map(v -> v.tolerance().bound()).toList();
        boolean byDefault = output.verdicts().stream().anyMatch(OutputQuality.Verdict::byDefault);
        return new OutputRow(output.output(), output.kind().label(), output.examples(), output.measures(), bounds,
                bounds.isEmpty() ? null : output.passed(), byDefault);
    }

    private static List<LayerSensitivity> sensitivityOf(CompressionPass pass, ModelProto model, PassContext context,
            EvaluationData data, int threads) {
        // two batches keep the analysis to seconds per layer; it ranks layers, it does not certify them
        List<CalibrationSample> batches = data.check().subList(0, Math.min(2, data.check().size()));
        return pass.perNode().map(perNode -> SensitivityAnalysis.analyze(model, perNode::keepingFloat,
                perNode.quantizableNodes(model), context, batches, threads)).orElse(List.of());
    }

    private static int countCorrect(Map<String, Output> expected, Map<String, Output> actual, int[] labels,
            int offset, int[] correct) {
        Output before = expected.values().iterator().next();
        Output after = actual.values().iterator().next();
        int rows = Math.toIntExact(before.shape()[0]);
        int classes = before.values().length / rows;
        for (int r = 0; r < rows; r++) {
            int label = labels[offset + r];
            boolean originalRight = argmax(before.values(), r * classes, classes) == label;
            boolean compressedRight = argmax(after.values(), r * classes, classes) == label;
            correct[0] += originalRight ? 1 : 0;
            correct[1] += compressedRight ? 1 : 0;
            correct[2] += originalRight && !compressedRight ? 1 : 0;
            correct[3] += compressedRight && !originalRight ? 1 : 0;
        }
        return offset + rows;
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Energy per 1,000 inferences of the original and the compressed model, measured side by side in blocks long
     * against the counters' tick, for about {@link #ENERGY_MIN_NANOS} each.
     */
    private static EnergyPerThousand energyPerThousand(List<SideBySide.Workload> pair, int batchSize) {
        Plan plan = new Plan(LATENCY_WARMUPS, ENERGY_BATCHES, true, Integer.MAX_VALUE,
                Optional.of(Duration.ofNanos(ENERGY_MIN_NANOS * pair.size())));
        try (TrackedRun run = Tracker.start("verdant compress: energy")) {
            List<Timing> timings = SideBySide.measure(pair, plan, () -> run.itEnergySoFar().joules(), () -> { });
            String method = run.method().label();
            return new EnergyPerThousand(perThousand(timings.get(0), batchSize),
                    perThousand(timings.get(1), batchSize), method);
        }
    }

    private static double perThousand(Timing timing, int batchSize) {
        return timing.joules() / ((double) timing.runs() * batchSize) * 1000;
    }

    /** Runs {@code work} under the energy module; what it throws unchecked comes out as it was. */
    private static <T> Measured<T> measured(String name, java.util.concurrent.Callable<T> work) {
        try {
            return Tracker.measure("verdant compress: " + name, work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("energy measurement failed: " + e.getMessage(), e);
        }
    }

    private static ModelFigures figures(String label, long bytes, ModelProto model, EvaluationData data) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (data != null) {
            data.check().get(0).inputs().forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        }
        ModelSummary summary = ModelInspector.inspect(label, bytes, model, shapes);
        return new ModelFigures(bytes, summary.params(), summary.quantizedParams(), summary.macs(),
                summary.nodesWithUnknownCost(), summary.nodeCount(), summary.bytesByType());
    }

    /** The model the recipe's passes make of {@code original}, with what each step did. */
    private record PassesApplied(ModelProto model, List<StepReport> steps, List<LayerSensitivity> sensitivity) {
    }

    private static PassesApplied applyPasses(List<CompressionPass> passes, ModelProto original, PassContext context,
            EvaluationData data, CompressionRequest request) {
        List<StepReport> steps = new ArrayList<>();
        List<LayerSensitivity> sensitivity = List.of();
        ModelProto current = original;
        for (int i = 0; i < passes.size(); i++) {
            CompressionPass pass = passes.get(i);
            validateReachable(pass, current);
            if (request.sensitivity() && data != null && sensitivity.isEmpty()) {
                sensitivity = sensitivityOf(pass, current, context, data, request.threads());
            }
            PassOutput output = pass.apply(current, context);
            steps.add(new StepReport(request.recipe().steps().get(i).spec(), withNodesNotEntered(output.facts(),
                    current)));
            current = output.model();
        }
        return new PassesApplied(current, steps, sensitivity);
    }

    /**
     * A step's facts, with {@code notEntered} added when {@code input} holds nodes inside {@code If}, {@code Loop} or
     * {@code Scan} bodies: the passes work on the main graph, and a model with weights in both would otherwise come
     * out partly compressed without a word about the rest.
     */
    private static Map<String, Object> withNodesNotEntered(Map<String, Object> facts, ModelProto input) {
        int nested = Subgraphs.nestedNodeCount(input.getGraph());
        if (nested == 0) {
            return facts;
        }
        Map<String, Object> noted = new LinkedHashMap<>(facts);
        noted.put("notEntered", String.format(Locale.ROOT, "%,d nodes inside If, Loop or Scan bodies, left as they "
                + "are (compression passes work on the main graph)", nested));
        return noted;
    }

    /**
     * {@code pass.validate}, and when it refuses a model whose nodes partly sit inside {@code If}, {@code Loop} or
     * {@code Scan} bodies, the refusal says so: the passes work on the main graph, so "the model has none" would
     * otherwise be said of a model that holds its weights in branches (Silero VAD keeps all of them there).
     */
    private static void validateReachable(CompressionPass pass, ModelProto model) {
        try {
            pass.validate(OnnxGraph.of(model));
        } catch (IllegalArgumentException e) {
            int nested = Subgraphs.nestedNodeCount(model.getGraph());
            if (nested == 0) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + String.format(Locale.ROOT, "; that is its main "
                    + "graph: %,d more nodes sit inside If, Loop or Scan bodies, which compression passes do not "
                    + "enter (an export of the model without control flow can be compressed)", nested), e);
        }
    }

    /**
     * What goes into the output's {@code metadata_props}, under {@link Provenance}'s {@code verdant.compress.*} keys:
     * the recipe, the Verdant version, the source and its SHA-256, the data, the seed, the calibration, and the energy
     * the passes took (IT energy, measured or estimated, as the tracker says).
     */
    private static Map<String, String> provenance(CompressionRequest request, Path inputPath, EvaluationData data,
            EnergyReport passesEnergy) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(Provenance.key(Provenance.COMPRESS, "recipe"), request.recipe().spec());
        provenance.put(Provenance.key(Provenance.COMPRESS, "verdant_version"), request.version());
        provenance.put(Provenance.key(Provenance.COMPRESS, "source"), request.model().name());
        provenance.put(Provenance.key(Provenance.COMPRESS, "source_sha256"), sha256(inputPath));
        if (data != null) {
            provenance.put(Provenance.key(Provenance.COMPRESS, "data"), data.description());
        }
        provenance.put(Provenance.key(Provenance.COMPRESS, "seed"), Long.toString(request.seed()));
        if (request.recipe().has("int8-static")) {
            provenance.put(Provenance.key(Provenance.COMPRESS, "calibration"),
                    request.options().calibration().optionName());
        }
        provenance.put(Provenance.key(Provenance.COMPRESS, "energy_joules"),
                String.format(Locale.ROOT, "%.1f", passesEnergy.itEnergy().joules()));
        provenance.put(Provenance.key(Provenance.COMPRESS, "energy_method"), passesEnergy.method().label());
        return provenance;
    }

    /** The timed batch's shape, and for text how it was padded: "16x33 padded to its longest text". */
    private static String shapeText(CalibrationSample sample, CompressionRequest request) {
        StringBuilder text = new StringBuilder();
        if (sample.inputs().size() == 1 || sample.inputs().containsKey(ModelInputs.INPUT_IDS)) {
            InputTensor first = sample.inputs().getOrDefault(ModelInputs.INPUT_IDS,
                    sample.inputs().values().iterator().next());
            text.append(dims(first.shape()));
        } else {
            // several inputs (the user's --inputs): each by name, in name order so the text is the same every run
            new java.util.TreeMap<>(sample.inputs()).forEach((name, tensor) -> text.append(text.isEmpty() ? "" : ", ")
                    .append(name).append(' ').append(tensor.shape().length == 0 ? "scalar" : dims(tensor.shape())));
        }
        if (sample.inputs().containsKey(ModelInputs.ATTENTION_MASK) || sample.inputs().containsKey(
                ModelInputs.INPUT_IDS)) {
            text.append(request.padding() == BatchPadding.LONGEST ? " padded to its longest text"
                    : " padded to " + request.sequenceLength());
        }
        return text.toString();
    }

    private static String dims(long[] shape) {
        StringBuilder text = new StringBuilder();
        for (long dim : shape) {
            text.append(text.isEmpty() ? "" : "x").append(dim);
        }
        return text.toString();
    }

    static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
