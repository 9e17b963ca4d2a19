package dev.verdant.train.graph;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.runtime.CloseOnce;
import dev.verdant.train.op.DeviceTensor;
import dev.verdant.train.op.HostTensor;
import dev.verdant.train.op.Kernel;
import dev.verdant.train.op.KernelContext;
import dev.verdant.train.op.ElementTypes;
import dev.verdant.train.op.NDArrayTensors;
import dev.verdant.train.op.OpRegistry;
import dev.verdant.train.op.QuantizationKernels;
import dev.verdant.train.op.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph ready to run on PyTorch: its initializers as parameters (trainable or frozen), its constants
 * folded, and one kernel per remaining node in topological order. It owns the native memory of its parameters
 * until {@link #close()}; each {@link #forward} keeps its activations in a sub-manager of the caller's manager
 * that it closes before returning, so nothing native outlives the batch except the outputs.
 *
 * <p>Not thread-safe: run one forward pass at a time (parameters are lent to the running pass).
 */
public final class CompiledGraph implements AutoCloseable {

    /** Ops whose result depends on the training flag or on randomness, so they never fold at compile time. */
    private static final Set<String> UNFOLDABLE = Set.of("Dropout", "BatchNormalization",
            "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli");

    /** One scheduled node. */
    private record Step(NodeProto node, Kernel kernel, long opset) {
    }

    private final OnnxGraph graph;
    private final NDManager manager;
    private final Map<String, GraphParameter> parameters = new LinkedHashMap<>();
    private final Map<String, Value> constants = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<ValueInfoProto> inputs;
    private final List<String> outputs;
    private final CloseOnce state = new CloseOnce("the compiled graph is closed");

    CompiledGraph(OnnxGraph graph, CompileOptions options) {
        this.graph = graph;
        this.inputs = graph.inputs();
        this.outputs = graph.outputs().stream().map(ValueInfoProto::getName).toList();
        this.manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            loadInitializers(options.parameters());
            schedule(options.registry());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Floating-point initializers become parameters; integer ones are constants (on the JVM when small). */
    private void loadInitializers(ParameterSelector selector) {
        Set<String> buffers = nonTrainableInputs();
        for (TensorProto initializer : graph.initializers().values()) {
            String name = initializer.getName();
            DataType type = DataType.of(initializer);
            if (type.isFloatingPoint()) {
                NDArray array = NDArrayTensors.toNDArray(manager, initializer);
                array.setName(name);
                boolean trainable = !buffers.contains(name) && selector.isTrainable(name);
                if (trainable) {
                    array.setRequiresGradient(true);
                }
                parameters.put(name, new GraphParameter(name, array, trainable));
            } else {
                constants.put(name, NDArrayTensors.toValue(manager, initializer));
            }
        }
    }

    /** Inputs that hold statistics or quantization grids rather than weights: never trained by gradient. */
    private Set<String> nonTrainableInputs() {
        Set<String> names = new HashSet<>();
        for (NodeProto node : graph.nodes()) {
            switch (node.getOpType()) {
                case "BatchNormalization" -> node.getInputList().stream().skip(3).forEach(names::add);
                case "QuantizeLinear", "DequantizeLinear" -> node.getInputList().stream().skip(1).forEach(names::add);
                default -> {
                    // weights and activations
                }
            }
        }
        return names;
    }

    /**
     * Orders the kernels, fuses QuantizeLinear → DequantizeLinear pairs into a straight-through fake-quantize,
     * and folds nodes whose inputs are all constants.
     */
    private void schedule(OpRegistry registry) {
        Map<String, NodeProto> fakeQuantized = fakeQuantizePairs();
        for (NodeProto node : graph.topologicalOrder()) {
            String domain = "ai.onnx".equals(node.getDomain()) ? "" : node.getDomain();
            long opset = graph.opsets().getOrDefault(domain, 0L);
            if (node.getOpType().equals("QuantizeLinear") && fakeQuantized.containsValue(node)) {
                continue; // runs inside the fused kernel of its DequantizeLinear consumers
            }
            Step step;
            NodeProto quantize = fakeQuantized.get(node.getName() + "\u0000" + node.getOutput(0));
            if (quantize != null) {
                NodeProto fused = NodeProto.newBuilder().setName(node.getName())
                        .setOpType(QuantizationKernels.FAKE_QUANTIZE).setDomain(QuantizationKernels.VERDANT_DOMAIN)
                        .addInput(quantize.getInput(0))
                        .addInput(quantize.getInput(1))
                        .addInput(quantize.getInputCount() > 2 ? quantize.getInput(2) : "")
                        .addInput(node.getInput(1))
                        .addInput(node.getInputCount() > 2 ? node.getInput(2) : "")
                        .addAllAttribute(quantize.getAttributeList())
                        .addOutput(node.getOutput(0)).build();
                step = new Step(fused, QuantizationKernels.fakeQuantize(), opset);
            } else {
                step = new Step(node, registry.find(domain, node.getOpType()).orElseThrow().kernel(), opset);
            }
            if (!fold(step)) {
                steps.add(step);
            }
        }
    }

    /** DequantizeLinear nodes (keyed by name and output) whose input comes from a QuantizeLinear read only by them. */
    private Map<String, NodeProto> fakeQuantizePairs() {
        Map<String, NodeProto> pairs = new HashMap<>();
        for (NodeProto node : graph.nodes()) {
            if (!node.getOpType().equals("QuantizeLinear") || graph.isGraphOutput(node.getOutput(0))) {
                continue;
            }
            List<NodeProto> readers = graph.consumers(node.getOutput(0));
            if (!readers.isEmpty() && readers.stream().allMatch(r -> r.getOpType().equals("DequantizeLinear")
                    && r.getInput(0).equals(node.getOutput(0)))) {
                readers.forEach(r -> pairs.put(r.getName() + "\u0000" + r.getOutput(0), node));
            }
        }
        return pairs;
    }

    /** Runs a node at compile time when all its inputs are constants; returns whether it did. */
    private boolean fold(Step step) {
        if (UNFOLDABLE.contains(step.node().getOpType())) {
            return false;
        }
        for (String input : step.node().getInputList()) {
            if (!input.isEmpty() && !constants.containsKey(input)) {
                return false;
            }
        }
        Map<String, Value> values = new HashMap<>(constants);
        run(step, values, manager, false);
        for (String output : step.node().getOutputList()) {
            if (!output.isEmpty()) {
                constants.put(output, values.get(output));
            }
        }
        return true;
    }

    /**
     * Runs the graph on one batch. Activations live in a sub-manager of {@code manager} that is closed before
     * this returns; the outputs are attached to {@code manager}. Inside a
     * {@link ai.djl.training.GradientCollector} the outputs carry the autograd graph back to the trainable
     * parameters.
     *
     * @param manager  a PyTorch manager that owns the returned outputs
     * @param inputs   a value for every graph input, by name
     * @param training batch statistics in BatchNormalization (running statistics updated in place) and active
     *                 Dropout; false for inference
     * @return the graph outputs by name, in the model's order
     */
    public Map<String, NDArray> forward(NDManager manager, Map<String, NDArray> inputs, boolean training) {
        state.ensureOpen();
        if (!"PyTorch".equals(manager.getEngine().getEngineName())) {
            throw new IllegalArgumentException("the interpreter runs on the PyTorch engine, not "
                    + manager.getEngine().getEngineName());
        }
        checkInputs(inputs);
        Map<String, NDArray> results = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            // lend the graph's arrays and the inputs to the scope: results of ops on them are created there
            Set<NDArray> lent = Collections.newSetFromMap(new IdentityHashMap<>());
            Map<String, Value> values = new HashMap<>(constants);
            for (GraphParameter parameter : parameters.values()) {
                values.put(parameter.name(), new DeviceTensor(parameter.array()));
            }
            for (Map.Entry<String, NDArray> input : inputs.entrySet()) {
                values.put(input.getKey(), new DeviceTensor(input.getValue()));
            }
            for (Value value : values.values()) {
                if (value instanceof DeviceTensor device && lent.add(device.array())) {
                    device.array().tempAttach(scope);
                }
            }
            for (Step step : steps) {
                run(step, values, scope, training);
            }
            for (String output : outputs) {
                Value value = values.get(output);
                NDArray array = switch (value) {
                    case HostTensor host -> NDArrayTensors.toNDArray(manager, host);
                    case DeviceTensor device -> lent.contains(device.array()) ? device.array().duplicate()
                            : device.array();
                };
                array.attach(manager);
                results.put(output, array);
            }
        }
        return results;
    }

    private void run(Step step, Map<String, Value> values, NDManager scope, boolean training) {
        NodeProto node = step.node();
        Value[] arguments = new Value[node.getInputCount()];
        for (int i = 0; i < arguments.length; i++) {
            String name = node.getInput(i);
            if (!name.isEmpty()) {
                arguments[i] = values.get(name);
                if (arguments[i] == null) {
                    throw new GraphExecutionException("node '" + node.getName() + "' (" + node.getOpType()
                            + ") reads '" + name + "', which has no value", null);
                }
            }
        }
        KernelContext context = new KernelContext(node, step.opset(), training, scope, arguments);
        try {
            step.kernel().run(context);
        } catch (GraphExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GraphExecutionException(context.describe() + " failed: " + e.getMessage(), e);
        }
        Value[] results = context.outputs();
        for (int i = 0; i < results.length; i++) {
            String name = node.getOutput(i);
            if (name.isEmpty()) {
                continue;
            }
            if (results[i] == null) {
                throw new GraphExecutionException(context.describe() + " produced no output " + i, null);
            }
            values.put(name, results[i]);
        }
    }

    private void checkInputs(Map<String, NDArray> given) {
        List<String> names = inputNames();
        for (String name : given.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown input '" + name + "', expected one of " + names);
            }
        }
        for (ValueInfoProto input : inputs) {
            NDArray array = given.get(input.getName());
            if (array == null) {
                throw new IllegalArgumentException("missing input '" + input.getName() + "', expected " + names);
            }
            int declared = input.getType().getTensorType().getElemType();
            if (declared != 0 && ElementTypes.onnxType(array.getDataType()).code() != declared) {
                throw new IllegalArgumentException("input '" + input.getName() + "' is "
                        + ElementTypes.onnxType(array.getDataType()).onnxName() + " but the model expects "
                        + DataType.of(declared).onnxName());
            }
            if (input.getType().getTensorType().hasShape()) {
                int rank = input.getType().getTensorType().getShape().getDimCount();
                if (rank != array.getShape().dimension()) {
                    throw new IllegalArgumentException("input '" + input.getName() + "' has shape "
                            + array.getShape() + " but the model expects rank " + rank);
                }
            }
        }
    }

    /** The inputs a caller feeds, in the model's order. */
    public List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::getName).toList();
    }

    /** The outputs {@link #forward} returns, in the model's order. */
    public List<String> outputNames() {
        return outputs;
    }

    /** Every floating-point initializer, in file order. */
    public List<GraphParameter> parameters() {
        return List.copyOf(parameters.values());
    }

    /** The parameters autograd computes gradients for. */
    public List<GraphParameter> trainableParameters() {
        return parameters.values().stream().filter(GraphParameter::trainable).toList();
    }

    /** The manager that owns the parameters; a parent for the caller's batch managers. */
    public NDManager manager() {
        state.ensureOpen();
        return manager;
    }

    /** How many nodes run per forward pass after constant folding. */
    public int scheduledNodeCount() {
        return steps.size();
    }

    /** The model as compiled (initial parameter values). */
    public ModelProto model() {
        return graph.model();
    }

    /**
     * The original model with every parameter's current value written back into its initializer, and
     * {@code metadata} added to (or replacing keys of) its {@code metadata_props}.
     */
    public ModelProto exportModel(Map<String, String> metadata) {
        state.ensureOpen();
        ModelProto model = graph.model();
        GraphProto.Builder graphBuilder = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto initializer : model.getGraph().getInitializerList()) {
            GraphParameter parameter = parameters.get(initializer.getName());
            if (parameter == null) {
                graphBuilder.addInitializer(initializer);
            } else {
                TensorProto values = NDArrayTensors.toTensorProto(initializer.getName(), parameter.array());
                graphBuilder.addInitializer(initializer.toBuilder().clearRawData().clearFloatData()
                        .clearDoubleData().clearInt32Data().setRawData(values.getRawData()).build());
            }
        }
        return Provenance.withEntries(model.toBuilder().setGraph(graphBuilder).build(), metadata);
    }

    /** Frees the parameters' native memory; idempotent. */
    @Override
    public void close() {
        state.close(manager::close);
    }

    @Override
    public String toString() {
        return "CompiledGraph[" + steps.size() + " nodes, " + parameters.size() + " parameters, inputs "
                + inputNames() + ", outputs " + outputs + "]";
    }
}
