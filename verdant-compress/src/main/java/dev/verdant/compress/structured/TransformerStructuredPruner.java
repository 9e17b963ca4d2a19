package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.structured.OutputReconstruction.Fit;
import dev.verdant.compress.structured.TransformerBlocks.Kind;
import dev.verdant.compress.structured.TransformerBlocks.ShapeEntry;
import dev.verdant.compress.structured.TransformerBlocks.Unit;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Structured pruning of BERT-style encoders without retraining (Kwon et al., 2022): whole attention heads and
 * feed-forward intermediate channels go, and the graph is rewritten so the model is truly smaller (Q/K/V columns,
 * output-projection rows, biases, and the Reshape constants holding the head count and width all shrink together).
 *
 * <p>Unit by unit in graph order, on real calibration text: the pruned-so-far model is run to read the input of the
 * unit's output projection; each head or channel is scored by what it adds to that projection's output on the
 * calibration tokens (padding excluded); the weakest go; then, unless told not to, the kept rows of the output
 * projection and its bias are re-fitted by least squares so the unit's output matches the unpruned model's output on
 * the same text ({@link OutputReconstruction}). Working in order lets each re-fit also absorb what earlier units lost.
 */
public final class TransformerStructuredPruner {

    private final Options options;
    private final int threads;

    /**
     * What to remove.
     *
     * @param ffnFraction  the fraction of each feed-forward layer's intermediate channels to remove, in [0, 1)
     * @param headFraction the fraction of each attention layer's heads to remove, in [0, 1)
     * @param reconstruct  re-fit the output projections by least squares (else only drop the pruned rows)
     * @param ridge        the re-fit's pull toward the original weights, relative to the mean activation energy
     *                     of the kept columns (larger trusts the calibration text less)
     */
    public record Options(double ffnFraction, double headFraction, boolean reconstruct, double ridge) {
        public Options {
            check("ffn", ffnFraction);
            check("heads", headFraction);
            if (!(ridge > 0 && Double.isFinite(ridge))) {
                throw new IllegalArgumentException("prune-structured: ridge must be a positive number, got " + ridge);
            }
        }

        /** The given fractions with the default ridge. */
        public Options(double ffnFraction, double headFraction, boolean reconstruct) {
            this(ffnFraction, headFraction, reconstruct, OutputReconstruction.DEFAULT_RIDGE);
        }

        private static void check(String what, double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("prune-structured: " + what + " must be a fraction in [0, 1), got "
                        + fraction);
            }
        }

        double fraction(Kind kind) {
            return kind == Kind.HEADS ? headFraction : ffnFraction;
        }
    }

    /**
     * What happened to one unit.
     *
     * @param unit               the output projection's node
     * @param kind               heads or FFN channels
     * @param before             groups before
     * @param after              groups kept
     * @param plainError         relative squared error of the unit's output on calibration tokens with the pruned
     *                           rows dropped (0 when nothing was removed)
     * @param reconstructedError the same after the least-squares re-fit, or NaN when not re-fitted
     */
    public record UnitReport(String unit, Kind kind, int before, int after, double plainError,
            double reconstructedError) {
    }

    /**
     * The pruned model and what was done.
     *
     * @param model             the smaller model (value_info dropped: shapes changed)
     * @param units             per unit, in graph order
     * @param calibrationTokens the non-padding tokens every statistic was taken over
     */
    public record Result(ModelProto model, List<UnitReport> units, long calibrationTokens) {
        public Result {
            units = List.copyOf(units);
        }
    }

    /** @param threads ONNX Runtime intra-op threads for the calibration runs */
    public TransformerStructuredPruner(Options options, int threads) {
        this.options = options;
        this.threads = Math.max(1, threads);
    }

    /** The one-line refusal for a graph with no attention or feed-forward unit this pruner recognises. */
    static String notAnEncoder() {
        return "prune-structured found no attention head or feed-forward block to prune: it expects a BERT-style"
                + " encoder as exported from PyTorch (MatMul+Add -> Reshape [.., .., heads, size] -> Transpose for"
                + " Q/K/V, MatMul -> activation -> MatMul for the FFN), unfused";
    }

    /**
     * Prunes {@code model}, calibrating on {@code calibration} (token batches as {@link EncoderInputs} makes them).
     *
     * @throws IllegalArgumentException when the graph holds no recognisable unit, or there is no calibration text
     */
    public Result prune(ModelProto model, List<CalibrationSample> calibration) {
        List<Unit> units = TransformerBlocks.find(new GraphEdit(model)).units();
        if (units.isEmpty()) {
            throw new IllegalArgumentException(notAnEncoder());
        }
        boolean removes = units.stream().anyMatch(u -> keepCount(u) < u.groups());
        if (!removes) {
            return new Result(model, units.stream().map(u -> new UnitReport(u.name(), u.kind(), u.groups(),
                    u.groups(), 0, Double.NaN)).toList(), 0);
        }
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("prune-structured ranks heads and channels on real text: it needs "
                    + "calibration data (--data, e.g. --data wordnet-nouns)");
        }
        calibration = calibration.stream().map(TransformerStructuredPruner::withoutTrailingPadding).toList();
        List<int[]> tokens = calibration.stream().map(TransformerStructuredPruner::realTokens).toList();
        long tokenCount = tokens.stream().mapToLong(t -> t.length).sum();
        // the unpruned model's unit outputs on the calibration text: what every re-fit aims at
        List<List<float[]>> targets = new ArrayList<>();
        try (OrtRunner original = OrtRunner.open(capturing(model, units.stream().map(Unit::product).toList()),
                SessionSpec.threads(threads).withBasicOptimization())) {
            units.forEach(u -> targets.add(new ArrayList<>()));
            for (int b = 0; b < calibration.size(); b++) {
                var outputs = original.run(calibration.get(b).inputs());
                for (int u = 0; u < units.size(); u++) {
                    targets.get(u).add(rows(outputs.get(units.get(u).product()), tokens.get(b)));
                }
            }
        }
        ModelProto current = model;
        List<UnitReport> reports = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            int keep = keepCount(unit);
            if (keep == unit.groups()) {
                reports.add(new UnitReport(unit.name(), unit.kind(), unit.groups(), keep, 0, Double.NaN));
                continue;
            }
            GraphEdit edit = new GraphEdit(current);
            TensorProto outputWeight = edit.initializer(unit.outputWeight()).orElseThrow();
            int width = Math.toIntExact(outputWeight.getDims(1));
            OutputReconstruction statistics = new OutputReconstruction(unit.columns(), width);
            try (OrtRunner pruned = OrtRunner.open(capturing(current, List.of(unit.hidden())),
                    SessionSpec.threads(threads).withBasicOptimization())) {
                for (int b = 0; b < calibration.size(); b++) {
                    float[] hidden = rows(pruned.run(calibration.get(b).inputs()).get(unit.hidden()), tokens.get(b));
                    statistics.add(hidden, targets.get(u).get(b), identity(tokens.get(b).length));
                }
            }
            float[] weight = Tensors.toFloats(outputWeight);
            int[] kept = OutputReconstruction.strongest(
                    statistics.contributions(weight, unit.groupSize(), options.reconstruct()), keep);
            Fit plain = statistics.keep(weight, kept, unit.groupSize());
            Fit fit = options.reconstruct() ? statistics.refit(weight, kept, unit.groupSize(), options.ridge()) : plain;
            float[] bias = Tensors.toFloats(edit.initializer(unit.outputBias()).orElseThrow());
            rewrite(edit, unit, kept, fit.weight(), fit.bias(bias), width);
            current = edit.build();
            reports.add(new UnitReport(unit.name(), unit.kind(), unit.groups(), keep, plain.relativeError(),
                    options.reconstruct() ? fit.relativeError() : Double.NaN));
        }
        return new Result(current, reports, tokenCount);
    }

    private int keepCount(Unit unit) {
        double fraction = options.fraction(unit.kind());
        return fraction == 0 ? unit.groups() : Math.max(1, (int) Math.round(unit.groups() * (1 - fraction)));
    }

    /** Slices every tensor of the unit to the kept groups and sets its shape constants to the new counts. */
    private static void rewrite(GraphEdit edit, Unit unit, int[] kept, float[] outputWeight, float[] outputBias,
            int width) {
        for (String weight : unit.inputWeights()) {
            edit.putInitializer(StructuredPruner.select(edit.initializer(weight).orElseThrow(), 1, kept,
                    unit.groups(), unit.groupSize()));
        }
        for (String bias : unit.inputBiases()) {
            edit.putInitializer(StructuredPruner.select(edit.initializer(bias).orElseThrow(), 0, kept,
                    unit.groups(), unit.groupSize()));
        }
        edit.putInitializer(Tensors.ofFloats(unit.outputWeight(),
                new long[] {(long) kept.length * unit.groupSize(), width}, outputWeight));
        edit.putInitializer(Tensors.ofFloats(unit.outputBias(), new long[] {width}, outputBias));
        for (ShapeEntry entry : unit.shapes()) {
            NodeProto reader = edit.nodes().stream().filter(n -> n.getName().equals(entry.node())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("node '" + entry.node() + "' went missing"));
            String input = reader.getInput(entry.input());
            TensorProto shape = edit.constant(input).orElseThrow();
            long[] values = Tensors.toLongs(shape);
            values[entry.index()] = kept.length * entry.perChannel();
            // a fresh constant, so no other reader of the old one changes with it
            String name = edit.uniqueName(input + "_pruned");
            edit.putInitializer(Tensors.ofLongs(name, Tensors.dims(shape), values));
            edit.replaceNode(reader, reader.toBuilder().setInput(entry.input(), name).build());
        }
    }

    /** {@code model} answering {@code tensors} only, and running only what they need. */
    private static ModelProto capturing(ModelProto model, List<String> tensors) {
        var graph = model.getGraph().toBuilder().clearOutput();
        for (String tensor : tensors) {
            graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))));
        }
        return new GraphEdit(model.toBuilder().setGraph(graph).build()).build();
    }

    /**
     * The batch cut to its longest real sequence. Padded keys get no attention weight (the mask adds a large
     * negative number before the softmax), so real tokens' activations are the same, and short calibration
     * sentences padded to 128 tokens cost a fraction of the work.
     */
    static CalibrationSample withoutTrailingPadding(CalibrationSample sample) {
        InputTensor mask = sample.inputs().get(ModelInputs.ATTENTION_MASK);
        if (mask == null || mask.longs() == null || mask.shape().length != 2) {
            return sample;
        }
        int rows = Math.toIntExact(mask.shape()[0]);
        int length = Math.toIntExact(mask.shape()[1]);
        int longest = 1;
        for (int i = 0; i < mask.longs().length; i++) {
            if (mask.longs()[i] != 0) {
                longest = Math.max(longest, i % length + 1);
            }
        }
        if (longest == length) {
            return sample;
        }
        Map<String, InputTensor> cut = new HashMap<>();
        for (Map.Entry<String, InputTensor> input : sample.inputs().entrySet()) {
            InputTensor tensor = input.getValue();
            if (tensor.longs() == null || !Arrays.equals(tensor.shape(), mask.shape())) {
                return sample;
            }
            long[] values = new long[rows * longest];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tensor.longs(), r * length, values, r * longest, longest);
            }
            cut.put(input.getKey(), new InputTensor(new long[] {rows, longest}, null, values));
        }
        return new CalibrationSample(cut);
    }

    /** Positions (batch x sequence) that hold a real token, by the attention mask; every position without one. */
    private static int[] realTokens(CalibrationSample sample) {
        InputTensor mask = sample.inputs().get(ModelInputs.ATTENTION_MASK);
        if (mask == null || mask.longs() == null) {
            InputTensor ids = sample.inputs().values().iterator().next();
            return identity(Math.toIntExact(ids.shape()[0] * ids.shape()[1]));
        }
        return java.util.stream.IntStream.range(0, mask.longs().length).filter(i -> mask.longs()[i] != 0).toArray();
    }

    /** The rows {@code positions} of a (batch, sequence, features) output, packed. */
    private static float[] rows(Output output, int[] positions) {
        long[] shape = output.shape();
        int features = Math.toIntExact(shape[shape.length - 1]);
        float[] packed = new float[positions.length * features];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(output.values(), positions[i] * features, packed, i * features, features);
        }
        return packed;
    }

    private static int[] identity(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
