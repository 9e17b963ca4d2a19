package dev.verdant.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.data.Batch;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.CloseOnce;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.train.graph.CompileOptions;
import dev.verdant.train.graph.CompiledGraph;
import dev.verdant.train.graph.GraphInterpreter;
import dev.verdant.train.graph.GraphParameter;
import dev.verdant.train.graph.ParameterSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model being trained: the compiled graph, its optimizer state and the loss. {@link #step} runs one
 * forward-backward-update on a batch with every intermediate tensor in a per-batch sub-manager, so memory stays
 * flat however long the run; {@link #export} writes the current weights back into the ONNX graph.
 */
public final class TrainingSession implements AutoCloseable {

    private final CompiledGraph graph;
    private final Optimizer optimizer;
    private final TrainingLoss loss;
    private final Teacher.Logits teacher;
    private final List<GraphParameter> trainable;
    private final StepHook hook;
    private final String inputName;
    private final String outputName;
    private final long[] declaredInputShape;   // (N, ...) with -1 where the file leaves a dimension open
    private final boolean int64Input;
    private final List<String> tokenInputs;       // the encoder inputs a TokenBatch fills; empty for one-input models
    private long steps;
    private final CloseOnce state = new CloseOnce("this training session is closed");

    /**
     * Compiles {@code model} for training.
     *
     * @throws IllegalArgumentException when the model is neither a one-input classifier nor a token encoder
     *                                  classifier the interpreter can run, or a freeze pattern leaves nothing to train
     */
    public TrainingSession(ModelProto model, TrainConfig config, LearningRateSchedule schedule) {
        OnnxGraph view = OnnxGraph.of(model);
        ModelInputs inputs = ModelInputs.of(model);
        this.tokenInputs = inputs.readsTokenBatches() ? inputs.names() : List.of();
        if (tokenInputs.isEmpty() && view.inputs().size() != 1 || view.outputs().isEmpty()) {
            throw new IllegalArgumentException("training needs a model with one input, or token inputs "
                    + TokenBatch.INPUT_NAMES + ", and a logits output; this one has inputs "
                    + view.inputs().stream().map(ValueInfoProto::getName).toList());
        }
        ValueInfoProto input = view.inputs().get(0);
        this.inputName = input.getName();
        this.outputName = view.outputs().get(0).getName();
        this.declaredInputShape = declaredShape(input);
        DataType inputType = DataType.of(input.getType().getTensorType().getElemType());
        if (inputType != DataType.FLOAT && inputType != DataType.INT64) {
            throw new IllegalArgumentException("model input '" + inputName + "' is " + inputType.onnxName()
                    + "; training reads float features or int64 token ids");
        }
        this.int64Input = inputType == DataType.INT64;
        if (config.threads() > 0) {
            // PyTorch keeps one intra-op pool per process; on a shared machine fewer threads spin less. The engine
            // must be loaded before its native setter can be called.
            Engine.getEngine("PyTorch");
            ai.djl.pytorch.jni.JniUtils.setNumThreads(config.threads());
        }
        ParameterSelector selector = ParameterSelector.ALL;
        for (String pattern : config.freeze()) {
            selector = selector.freeze(pattern);
        }
        this.graph = GraphInterpreter.compile(model, CompileOptions.defaults().withParameters(selector));
        try {
            this.trainable = graph.trainableParameters();
            if (trainable.isEmpty()) {
                throw new IllegalArgumentException("nothing to train: " + (config.freeze().isEmpty()
                        ? "the model has no floating-point initializers"
                        : "--freeze " + config.freeze() + " matches every parameter"));
            }
            this.optimizer = config.optimizer().create(schedule);
            this.loss = config.loss();
            this.hook = config.stepHook();
            this.teacher = config.teacher().map(t -> t.open(config.threads())).orElse(null);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** One optimizer step on {@code batch}; returns the batch's loss before the update. */
    public float step(Batch batch) {
        state.ensureOpen();
        if (!tokenInputs.isEmpty()) {
            throw new IllegalArgumentException("the model reads token inputs " + tokenInputs
                    + "; train it on tokenized texts, not feature vectors");
        }
        if (batch.hasUnlabelled() && !loss.needsTeacher()) {
            throw new IllegalArgumentException(unlabelledNeedsTeacher(loss));
        }
        try (NDManager batchManager = graph.manager().newSubManager()) {
            NDArray x = inputArray(batchManager, batch);
            NDArray teacherLogits = loss.needsTeacher() ? teacherLogits(batchManager, batch) : null;
            return step(batchManager, Map.of(inputName, x), batch.labels(), teacherLogits);
        }
    }

    /**
     * One optimizer step on a batch of tokenized texts, for a model reading {@code input_ids} (and
     * {@code attention_mask}, {@code token_type_ids} when it declares them); returns the batch's loss.
     */
    public float step(TokenBatch batch) {
        state.ensureOpen();
        if (tokenInputs.isEmpty()) {
            throw new IllegalArgumentException("the model reads one input '" + inputName + "', not token inputs "
                    + TokenBatch.INPUT_NAMES);
        }
        if (loss.needsTeacher() || loss.poolsTokens()) {
            throw new IllegalArgumentException(loss.describe() + (loss.poolsTokens()
                    ? " needs the teacher's embeddings: call step(batch, teacherEmbeddings)"
                    : " reads a one-input teacher; token batches have none"));
        }
        try (NDManager batchManager = graph.manager().newSubManager()) {
            return step(batchManager, tokenArrays(batchManager, batch), batch.labels(), null);
        }
    }

    /**
     * One optimizer step of embedding distillation ({@link TrainingLoss#poolsTokens}) on a batch of tokenized texts:
     * the model's first output {@code [N, T, H]} is mean-pooled over the attention mask and compared with the
     * teacher's embeddings of the same texts; returns the batch's loss before the update.
     *
     * @param teacherEmbeddings the teacher's pooled embeddings, {@code [N, H]} row-major
     */
    public float step(TokenBatch batch, float[] teacherEmbeddings) {
        state.ensureOpen();
        if (!loss.poolsTokens() || tokenInputs.isEmpty()) {
            throw new IllegalArgumentException("teacher embeddings are read by an embedding-distillation loss on a"
                    + " token encoder; this session trains " + loss.describe() + " on inputs " + tokenInputs);
        }
        if (teacherEmbeddings.length % batch.size() != 0) {
            throw new IllegalArgumentException(teacherEmbeddings.length + " teacher values do not split into "
                    + batch.size() + " embeddings");
        }
        try (NDManager batchManager = graph.manager().newSubManager()) {
            NDArray teacher = batchManager.create(teacherEmbeddings,
                    new Shape(batch.size(), teacherEmbeddings.length / batch.size()));
            return step(batchManager, tokenArrays(batchManager, batch), batch.labels(), teacher);
        }
    }

    private Map<String, NDArray> tokenArrays(NDManager batchManager, TokenBatch batch) {
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        Shape shape = new Shape(batch.shape());
        for (String name : tokenInputs) {
            inputs.put(name, batchManager.create(batch.values(name), shape));
        }
        return inputs;
    }

    /** Forward, loss, backward and the update of every trainable parameter; the arrays live in {@code batchManager}. */
    private float step(NDManager batchManager, Map<String, NDArray> inputs, int[] batchLabels,
            NDArray teacherLogits) {
        NDArray labels = batchManager.create(toLongs(batchLabels));
        float value;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray logits = graph.forward(batchManager, inputs, true).get(outputName);
            if (loss.poolsTokens()) {
                logits = TrainingLoss.meanPooled(logits, inputs.get("attention_mask"));
            }
            NDArray objective = loss.compute(logits, labels, teacherLogits);
            collector.backward(objective);
            value = objective.getFloat();
        }
        // outside the collector, so the in-place updates are not recorded by autograd
        for (GraphParameter parameter : trainable) {
            try (NDArray gradient = parameter.array().getGradient()) {
                hook.beforeUpdate(parameter, gradient);
                optimizer.update(parameter.name(), parameter.array(), gradient);
                gradient.subi(gradient); // PyTorch accumulates gradients: clear them for the next step
            }
            hook.afterUpdate(parameter);
        }
        steps++;
        return value;
    }

    /** The one-line refusal of unlabelled samples for a loss that reads only labels. */
    static String unlabelledNeedsTeacher(TrainingLoss loss) {
        return "unlabelled samples (a transfer set) can only be scored by a teacher; " + loss.describe()
                + " reads labels only (use distillation with alpha > 0)";
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * How many native arrays the session holds (parameters, optimizer state, their managers' children): constant from
     * step to step when per-batch memory is released, which tests check.
     */
    int liveArrays() {
        return graph.manager().getManagedArrays().size(); // includes arrays of sub-managers left open
    }

    /** The parameters being trained, by name (frozen ones excluded). */
    public List<String> trainableParameterNames() {
        return trainable.stream().map(GraphParameter::name).toList();
    }

    /** The model with the current weights and {@code metadata} added to its {@code metadata_props}. */
    public ModelProto export(Map<String, String> metadata) {
        state.ensureOpen();
        return graph.exportModel(metadata);
    }

    private NDArray inputArray(NDManager manager, Batch batch) {
        Shape shape = new Shape(BatchTensors.inputShape(batch.sampleShape(), batch.size(), declaredInputShape));
        if (!int64Input) {
            return manager.create(batch.features(), shape);
        }
        float[] features = batch.features();
        long[] ids = new long[features.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) features[i];
        }
        return manager.create(ids, shape);
    }

    private NDArray teacherLogits(NDManager manager, Batch batch) {
        float[][] scores = teacher.logits(batch);
        int classes = scores[0].length;
        float[] flat = new float[scores.length * classes];
        for (int i = 0; i < scores.length; i++) {
            System.arraycopy(scores[i], 0, flat, i * classes, classes);
        }
        return manager.create(flat, new Shape(scores.length, classes));
    }

    private static long[] toLongs(int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    private static long[] declaredShape(ValueInfoProto input) {
        List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
        }
        return shape;
    }

    @Override
    public void close() {
        state.close(() -> {
            try {
                if (teacher != null) {
                    teacher.close();
                }
            } finally {
                graph.close();
            }
        });
    }
}
