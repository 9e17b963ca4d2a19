package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.inspect.ModelInspector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Concrete shapes of every tensor in a graph for given input shapes. It takes the graph's own value_info where that
 * is fully static; for the rest it runs the model once in ONNX Runtime on inputs of ones, with every node output
 * exposed as a graph output, and reads the shapes that come out — ONNX Runtime's own shape logic, not a second copy.
 * Inspect ({@code ModelInspector}) counts MACs on these shapes.
 */
public final class ShapeInference {

    private ShapeInference() {
    }

    /**
     * Shapes by tensor name: inputs, initializers and every node output whose shape could be found.
     *
     * @throws IllegalArgumentException when ONNX Runtime cannot run the model with these shapes
     */
    public static Map<String, long[]> infer(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, long[]> shapes = new HashMap<>(inputShapes);
        graph.initializers().forEach((name, tensor) -> shapes.put(name, Tensors.dims(tensor)));
        boolean dynamicInputs = graph.inputs().stream().anyMatch(ShapeInference::hasDynamicDims);
        if (!dynamicInputs) {
            for (NodeProto node : graph.nodes()) {
                for (String output : node.getOutputList()) {
                    graph.valueInfo(output).flatMap(ShapeInference::staticShape).ifPresent(s -> shapes.put(output, s));
                }
            }
        }
        Set<String> missing = new HashSet<>();
        for (NodeProto node : graph.nodes()) {
            for (String output : node.getOutputList()) {
                if (!output.isEmpty() && !shapes.containsKey(output)) {
                    missing.add(output);
                }
            }
        }
        if (!missing.isEmpty()) {
            shapes.putAll(runInOnnxRuntime(graph, inputShapes, missing));
        }
        return shapes;
    }

    private static boolean hasDynamicDims(ValueInfoProto info) {
        return staticShape(info).isEmpty();
    }

    private static java.util.Optional<long[]> staticShape(ValueInfoProto info) {
        TypeProto type = info.getType();
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) {
            return java.util.Optional.empty();
        }
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                return java.util.Optional.empty();
            }
            shape[i] = dims.get(i).getDimValue();
        }
        return java.util.Optional.of(shape);
    }

    private static Map<String, long[]> runInOnnxRuntime(OnnxGraph graph, Map<String, long[]> inputShapes,
            Set<String> wanted) {
        ModelProto.Builder probe = graph.model().toBuilder();
        Set<String> declared = new HashSet<>();
        probe.getGraph().getOutputList().forEach(o -> declared.add(o.getName()));
        for (NodeProto node : graph.nodes()) {
            for (String output : node.getOutputList()) {
                if (wanted.contains(output) && declared.add(output)) {
                    probe.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(output));
                }
            }
        }
        OrtEnvironment env = OrtNatives.environment();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        // the graph as written (no fusions), so every intermediate tensor the probe asks for still exists
        SessionSpec spec = new SessionSpec(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                OrtSession.SessionOptions.OptLevel.NO_OPT);
        OrtRunner runner;
        try {
            runner = OrtRunner.open(probe.build(), spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ONNX Runtime could not run the model to infer shapes"
                    + " (check --shape): " + firstLine(e.getCause() != null ? e.getCause().getMessage()
                            : e.getMessage()), e);
        }
        try (runner) {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            try {
                for (ValueInfoProto input : graph.inputs()) {
                    long[] shape = inputShapes.get(input.getName());
                    feeds.put(input.getName(), ones(env, input, shape));
                }
                try (OrtSession.Result result = runner.runTensors(feeds)) {
                    for (Map.Entry<String, OnnxValue> entry : result) {
                        if (entry.getValue().getInfo() instanceof TensorInfo info) {
                            shapes.put(entry.getKey(), info.getShape());
                        }
                    }
                }
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime could not run the model to infer shapes"
                    + " (check --shape): " + firstLine(e.getMessage()), e);
        }
        return shapes;
    }

    private static OnnxTensor ones(OrtEnvironment env, ValueInfoProto input, long[] shape) throws OrtException {
        int elemType = input.getType().getTensorType().getElemType();
        DataType type = DataType.of(elemType);
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        int n = Math.toIntExact(count);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, n * Math.max(1, type.bytes())))
                .order(ByteOrder.nativeOrder());
        return switch (type) {
            case FLOAT -> {
                for (int i = 0; i < n; i++) {
                    buffer.putFloat(1f);
                }
                yield OnnxTensor.createTensor(env, buffer.flip().asFloatBuffer(), shape);
            }
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    buffer.putDouble(1d);
                }
                yield OnnxTensor.createTensor(env, buffer.flip().asDoubleBuffer(), shape);
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    buffer.putLong(1L);
                }
                yield OnnxTensor.createTensor(env, buffer.flip().asLongBuffer(), shape);
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    buffer.putInt(1);
                }
                yield OnnxTensor.createTensor(env, buffer.flip().asIntBuffer(), shape);
            }
            case INT8, UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    buffer.put((byte) 1);
                }
                OnnxJavaType javaType = type == DataType.BOOL ? OnnxJavaType.BOOL
                        : type == DataType.UINT8 ? OnnxJavaType.UINT8 : OnnxJavaType.INT8;
                yield OnnxTensor.createTensor(env, buffer.flip(), shape, javaType);
            }
            default -> throw new IllegalArgumentException("input " + input.getName() + " has element type "
                    + type.onnxName() + ", which shape inference cannot feed");
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
