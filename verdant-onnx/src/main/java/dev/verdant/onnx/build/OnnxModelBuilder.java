package dev.verdant.onnx.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.ModelFormatException;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an ONNX {@link ModelProto} step by step: declared inputs and outputs, initializers, nodes with their
 * attributes, opset imports and metadata. Every tensor name is checked as it is used, so a mistake is reported
 * where it is made ("node conv2 reads 'pool1x' that nothing defines; defined so far: [...]") rather than later
 * by ONNX Runtime.
 *
 * <pre>{@code
 * OnnxModelBuilder b = OnnxModelBuilder.create("tiny").opset(17);
 * String x = b.input("input", DataType.FLOAT, Dim.named("N"), Dim.of(4));
 * String w = b.initializer(Tensors.ofFloats("w", new long[] {3, 4}, weights));
 * String y = b.node("Gemm").name("fc").inputs(x, w).attribute(Attributes.ofInt("transB", 1)).output();
 * b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(3));
 * ModelProto model = b.build();
 * }</pre>
 *
 * A builder is single-use and not thread-safe.
 */
public final class OnnxModelBuilder {

    /** The default-domain opset a new builder imports unless told otherwise. */
    public static final long DEFAULT_OPSET = 17;

    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    /** Each defined tensor name with what defined it, for error messages. */
    private final Map<String, String> defined = new LinkedHashMap<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();
    private long irVersion = -1;
    private String producerName = "verdant";
    private String producerVersion = "";
    private String docString = "";
    private boolean built;

    private OnnxModelBuilder(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
        opsets.put("", DEFAULT_OPSET);
    }

    /** A builder for a model whose main graph has this name; imports the default opset {@value #DEFAULT_OPSET}. */
    public static OnnxModelBuilder create(String graphName) {
        return new OnnxModelBuilder(graphName);
    }

    /** Sets the default-domain ({@code ai.onnx}) opset version. */
    public OnnxModelBuilder opset(long version) {
        return opset("", version);
    }

    /** Imports an operator set of a domain ({@code ""} is the default ONNX domain, e.g. {@code com.microsoft}). */
    public OnnxModelBuilder opset(String domain, long version) {
        if (version <= 0) {
            throw new IllegalArgumentException("opset version must be positive: " + version);
        }
        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
        return this;
    }

    /**
     * Sets the IR version; by default it is the lowest that the default-domain opset needs, so older runtimes can
     * still load the file.
     */
    public OnnxModelBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    public OnnxModelBuilder producer(String name, String version) {
        this.producerName = Objects.requireNonNull(name);
        this.producerVersion = Objects.requireNonNull(version);
        return this;
    }

    public OnnxModelBuilder docString(String text) {
        this.docString = Objects.requireNonNull(text);
        return this;
    }

    /** Adds or replaces one {@code metadata_props} entry. */
    public OnnxModelBuilder metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** Declares a graph input and returns its name. */
    public String input(String name, DataType type, Dim... shape) {
        define(name, "graph input");
        inputs.add(valueInfo(name, type, shape));
        return name;
    }

    /** Declares an already-defined tensor as a graph output, with its type and shape. */
    public String output(String name, DataType type, Dim... shape) {
        requireDefined(name, "graph output");
        if (outputs.stream().anyMatch(o -> o.getName().equals(name))) {
            throw new IllegalArgumentException("'" + name + "' is already a graph output");
        }
        outputs.add(valueInfo(name, type, shape));
        return name;
    }

    /** Adds an initializer (a constant or trainable weight) and returns its name. */
    public String initializer(TensorProto tensor) {
        define(tensor.getName(), "initializer");
        initializers.add(tensor);
        return tensor.getName();
    }

    /** Adds a float32 initializer. */
    public String initializer(String name, long[] dims, float[] values) {
        return initializer(Tensors.ofFloats(name, dims, values));
    }

    /**
     * Adds a {@code Constant} node holding {@code value} and returns its output (named after the tensor). Constants
     * rather than initializers carry shapes, bounds and scale factors, so a trainer never mistakes them for weights.
     */
    public String constant(TensorProto value) {
        return node("Constant").name(uniqueName(value.getName() + "_const"))
                .attribute(dev.verdant.onnx.Attributes.ofTensor("value", value)).output(value.getName());
    }

    /** A 1-D int64 constant, the form Reshape shapes, Slice bounds and axes take. */
    public String int64Constant(String name, long... values) {
        return constant(Tensors.ofLongs(name, new long[] {values.length}, values));
    }

    /** A float32 scalar constant (rank 0), the form Clip bounds and scale factors take. */
    public String floatScalar(String name, float value) {
        return constant(Tensors.ofFloats(name, new long[0], new float[] {value}));
    }

    /** Starts a node of the default domain; finish it with {@link NodeBuilder#output()} or {@link NodeBuilder#outputs(int)}. */
    public NodeBuilder node(String opType) {
        return new NodeBuilder(opType);
    }

    /** Whether a tensor of this name has been defined (input, initializer or node output). */
    public boolean isDefined(String name) {
        return defined.containsKey(name);
    }

    /**
     * A name not yet used for a tensor, made from {@code base} (then {@code base_1}, {@code base_2}, ...), for
     * builders that emit repeated blocks.
     */
    public String uniqueName(String base) {
        if (!defined.containsKey(base) && !nameCounters.containsKey(base)) {
            nameCounters.put(base, 0);
            return base;
        }
        String candidate;
        do {
            candidate = base + "_" + nameCounters.merge(base, 1, Integer::sum);
        } while (defined.containsKey(candidate));
        return candidate;
    }

    /**
     * The finished model, checked: at least one output, every node input defined, no cycle.
     *
     * @throws IllegalStateException when called twice
     */
    public ModelProto build() {
        if (built) {
            throw new IllegalStateException("this builder has already built its model");
        }
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph '" + graphName + "' declares no output");
        }
        built = true;
        GraphProto graph = GraphProto.newBuilder().setName(graphName).addAllInput(inputs).addAllOutput(outputs)
                .addAllInitializer(initializers).addAllNode(nodes).build();
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(irVersion > 0 ? irVersion : irVersionFor(opsets.getOrDefault("", DEFAULT_OPSET)))
                .setProducerName(producerName).setProducerVersion(producerVersion).setDocString(docString)
                .setGraph(graph);
        opsets.forEach((domain, version) ->
                model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        metadata.forEach((key, value) ->
                model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        ModelProto result = model.build();
        try {
            OnnxGraph.of(result);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("graph '" + graphName + "' is malformed: " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * The IR version that introduced each opset (from the ONNX versioning table), so a file claims no more than
     * it needs.
     */
    static long irVersionFor(long opset) {
        if (opset <= 8) {
            return 3;
        } else if (opset <= 9) {
            return 4;
        } else if (opset <= 10) {
            return 5;
        } else if (opset <= 11) {
            return 6;
        } else if (opset <= 14) {
            return 7;
        } else if (opset <= 18) {
            return 8;
        } else if (opset <= 20) {
            return 9;
        } else if (opset <= 22) {
            return 10;
        }
        return 11;
    }

    private void define(String name, String what) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " needs a non-empty name");
        }
        String previous = defined.putIfAbsent(name, what);
        if (previous != null) {
            throw new IllegalArgumentException("tensor '" + name + "' is already defined (as " + previous
                    + "); each tensor has exactly one producer");
        }
    }

    private void requireDefined(String name, String reader) {
        if (!defined.containsKey(name)) {
            throw new IllegalArgumentException(reader + " reads '" + name + "' that nothing defines; defined so far: "
                    + abbreviate(defined.keySet()));
        }
    }

    private static String abbreviate(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        int limit = 12;
        return list.size() <= limit ? list.toString()
                : list.subList(list.size() - limit, list.size()) + " (last " + limit + " of " + list.size() + ")";
    }

    private static ValueInfoProto valueInfo(String name, DataType type, Dim... shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        for (Dim dim : shape) {
            switch (dim) {
                case Dim.Fixed fixed -> dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(fixed.size()));
                case Dim.Symbolic symbolic ->
                        dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(symbolic.name()));
            }
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(dims).build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }

    /** One node under construction: its inputs, attributes, name and domain, then its outputs. */
    public final class NodeBuilder {
        private final NodeProto.Builder node;
        private String name;

        private NodeBuilder(String opType) {
            this.node = NodeProto.newBuilder().setOpType(Objects.requireNonNull(opType, "opType"));
        }

        /** Names the node; its outputs are named after it. Default: the op type made unique ({@code Conv_3}). */
        public NodeBuilder name(String nodeName) {
            this.name = Objects.requireNonNull(nodeName);
            return this;
        }

        public NodeBuilder domain(String domain) {
            node.setDomain(domain);
            return this;
        }

        /** Appends inputs in order; use {@code ""} for an omitted optional input. */
        public NodeBuilder inputs(String... names) {
            for (String input : names) {
                if (!input.isEmpty()) {
                    requireDefined(input, "node " + (name != null ? name : node.getOpType()));
                }
                node.addInput(input);
            }
            return this;
        }

        public NodeBuilder attribute(AttributeProto attribute) {
            node.addAttribute(attribute);
            return this;
        }

        public NodeBuilder attributes(AttributeProto... attributes) {
            for (AttributeProto attribute : attributes) {
                attribute(attribute);
            }
            return this;
        }

        /** Adds the node with one output, named after the node, and returns that output's name. */
        public String output() {
            return outputs(1).get(0);
        }

        /** Adds the node with one output of the given name and returns it. */
        public String output(String outputName) {
            String nodeName = name != null ? name : uniqueName(node.getOpType());
            define(outputName, "output of node " + nodeName);
            nodes.add(node.setName(nodeName).addOutput(outputName).build());
            return outputName;
        }

        /** Adds the node with {@code count} outputs ({@code <node>} then {@code <node>_1}, ...) and returns their names. */
        public List<String> outputs(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a node has at least one output");
            }
            String nodeName = name != null ? name : uniqueName(node.getOpType());
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String outputName = i == 0 ? nodeName : nodeName + "_" + i;
                define(outputName, "output of node " + nodeName);
                node.addOutput(outputName);
                names.add(outputName);
            }
            nodes.add(node.setName(nodeName).build());
            return List.copyOf(names);
        }
    }
}
