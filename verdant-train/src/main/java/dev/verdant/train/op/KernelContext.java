package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import java.util.Arrays;

/**
 * What a kernel sees while one node runs: the node (attributes), the model's opset for the node's domain, whether
 * the graph runs in training mode, the batch's NDManager, the input values and the output slots.
 */
public final class KernelContext {

    private final NodeProto node;
    private final long opset;
    private final boolean training;
    private final NDManager manager;
    private final Value[] inputs;
    private final Value[] outputs;

    /**
     * @param inputs one value per declared input, {@code null} where the input is omitted ({@code ""})
     */
    public KernelContext(NodeProto node, long opset, boolean training, NDManager manager, Value[] inputs) {
        this.node = node;
        this.opset = opset;
        this.training = training;
        this.manager = manager;
        this.inputs = inputs;
        this.outputs = new Value[node.getOutputCount()];
    }

    public NodeProto node() {
        return node;
    }

    /** The model's opset version for this node's domain. */
    public long opset() {
        return opset;
    }

    /** Whether the graph runs in training mode (batch statistics, dropout). */
    public boolean training() {
        return training;
    }

    /** The batch's manager: every NDArray a kernel creates belongs to it. */
    public NDManager manager() {
        return manager;
    }

    public int inputCount() {
        return inputs.length;
    }

    /** Whether input {@code index} is given (declared and not the empty name). */
    public boolean hasInput(int index) {
        return index < inputs.length && inputs[index] != null;
    }

    public Value value(int index) {
        if (!hasInput(index)) {
            throw new IllegalArgumentException(describe() + " needs input " + index);
        }
        return inputs[index];
    }

    /** Input {@code index} as an NDArray (a host tensor is copied into the batch's manager). */
    public NDArray array(int index) {
        return NDArrayTensors.toNDArray(manager, value(index));
    }

    /** Whether input {@code index} is known on the JVM. */
    public boolean isHost(int index) {
        return value(index) instanceof HostTensor;
    }

    /** Whether every given input is known on the JVM, so the node can be folded there. */
    public boolean allHost() {
        for (Value input : inputs) {
            if (input != null && !(input instanceof HostTensor)) {
                return false;
            }
        }
        return true;
    }

    /** Input {@code index} on the JVM (read back from PyTorch if it was computed there). */
    public HostTensor host(int index) {
        return switch (value(index)) {
            case HostTensor host -> host;
            case DeviceTensor device -> NDArrayTensors.toHost(device.array());
        };
    }

    /** The elements of an integer input, e.g. a shape or axes. */
    public long[] longs(int index) {
        return host(index).values();
    }

    /** The single element of a scalar (or one-element) input as a double, e.g. a Clip bound. */
    public double scalar(int index) {
        Value value = value(index);
        if (value instanceof HostTensor host) {
            return host.values()[0];
        }
        NDArray array = ((DeviceTensor) value).array();
        return array.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()[0];
    }

    public long[] shape(int index) {
        return value(index).shape();
    }

    public DataType type(int index) {
        return value(index).type();
    }

    public long intAttribute(String name, long defaultValue) {
        return Attributes.getInt(node, name, defaultValue);
    }

    public float floatAttribute(String name, float defaultValue) {
        return Attributes.getFloat(node, name, defaultValue);
    }

    public String stringAttribute(String name, String defaultValue) {
        return Attributes.getString(node, name, defaultValue);
    }

    /** An ints attribute, or {@code defaultValue} (possibly null) when absent. */
    public long[] intsAttribute(String name, long[] defaultValue) {
        return Attributes.getInts(node, name, defaultValue);
    }

    public boolean hasAttribute(String name) {
        return Attributes.has(node, name);
    }

    /** Whether output {@code index} is wanted (declared and not the empty name). */
    public boolean wantsOutput(int index) {
        return index < outputs.length && !node.getOutput(index).isEmpty();
    }

    public int outputCount() {
        return outputs.length;
    }

    public void output(int index, NDArray array) {
        outputs[index] = new DeviceTensor(array);
    }

    public void output(int index, Value value) {
        outputs[index] = value;
    }

    /** The outputs the kernel set, {@code null} where it set none. */
    public Value[] outputs() {
        return outputs;
    }

    /** {@code node 'name' (Op)} for error messages. */
    public String describe() {
        return "node '" + node.getName() + "' (" + node.getOpType() + ")";
    }

    @Override
    public String toString() {
        return describe() + " inputs " + Arrays.toString(inputs);
    }
}
