package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX Runtime probe that {@link ShapeInference} falls back on: it runs the model once on inputs of ones with the
 * wanted node outputs exposed as graph outputs, and reads their types, dims and (for small integer tensors) values —
 * ONNX Runtime's own shape logic. Every exposed output is held at once, so the caller bounds what it asks for.
 */
final class OrtShapeProbe {

    private OrtShapeProbe() {
    }

    /**
     * Facts of the wanted tensors (graph outputs among them included) for inputs of these shapes.
     *
     * @throws IllegalArgumentException when ONNX Runtime cannot run the model with these shapes
     */
    static Map<String, TensorFacts> run(OnnxGraph graph, Map<String, long[]> inputShapes, Set<String> wanted) {
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
        Map<String, TensorFacts> facts = new LinkedHashMap<>();
        // the graph as written (no fusions), so every intermediate tensor the probe asks for still exists
        // and without ONNX Runtime's memory pools, so what the run holds is what is live, not an arena's high mark
        SessionSpec spec = new SessionSpec(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                OrtSession.SessionOptions.OptLevel.NO_OPT).withoutMemoryPools();
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
                        if (entry.getValue() instanceof OnnxTensor tensor && wanted.contains(entry.getKey())) {
                            facts.put(entry.getKey(), facts(tensor));
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
        return facts;
    }

    private static TensorFacts facts(OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        DataType type = DataType.of(info.onnxType.value);
        long[] values = null;
        if (info.getNumElements() <= TensorFacts.MAX_VALUES && (type == DataType.INT64 || type == DataType.INT32)) {
            values = new long[(int) info.getNumElements()];
            if (type == DataType.INT64) {
                tensor.getLongBuffer().get(values);
            } else {
                var ints = tensor.getIntBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = ints.get(i);
                }
            }
        }
        return new TensorFacts(type, info.getShape(), values);
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
