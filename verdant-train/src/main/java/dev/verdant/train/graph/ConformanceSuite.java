package dev.verdant.train.graph;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verdant.data.SystemData;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.graph.UnsupportedModelException.UnsupportedOp;
import dev.verdant.train.op.ElementTypes;
import dev.verdant.train.op.NDArrayTensors;
import dev.verdant.train.op.OpRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs the ONNX backend node tests (Debian {@code libonnx-testdata}) through the interpreter: every test whose
 * model uses only ops the registry claims, judged against the expected outputs with the backend tests' tolerance
 * ({@code |actual - expected| <= atol + rtol * |expected|}, rtol 1e-3, atol 1e-7; integers and booleans exact).
 * A test counts for every op its model uses, matched by the model's node op types, not the folder name.
 */
public final class ConformanceSuite {

    static final double RELATIVE_TOLERANCE = 1e-3;
    static final double ABSOLUTE_TOLERANCE = 1e-7;

    /** How one test case ended. */
    public enum Outcome {
        /** Every output within tolerance. */
        PASSED,
        /** Ran and disagreed, or failed while running. */
        FAILED,
        /** Refused up front by the op's validation (an attribute combination or type the kernel does not claim). */
        REJECTED
    }

    /**
     * One test case.
     *
     * @param test    the test's folder name
     * @param ops     the ops its model uses
     * @param outcome how it ended
     * @param detail  why it failed or was rejected, empty when it passed
     */
    public record Case(String test, List<String> ops, Outcome outcome, String detail) {
    }

    /**
     * The results for one op.
     *
     * @param op            the op, e.g. {@code Conv}
     * @param passed        test cases that passed
     * @param failed        cases that failed (test name and reason)
     * @param rejected      cases refused up front (test name and reason)
     */
    public record OpResult(String op, int passed, List<String> failed, List<String> rejected) {

        /** Cases that ran: passed plus failed. */
        public int total() {
            return passed + failed.size();
        }
    }

    /**
     * A run of the suite.
     *
     * @param directory the node tests' folder
     * @param cases     every test whose model uses only claimed ops
     * @param skipped   tests not run because their model uses an op the registry does not claim
     */
    public record Report(Path directory, List<Case> cases, int skipped) {

        /** Results by op name, sorted. */
        public Map<String, OpResult> byOp() {
            Map<String, int[]> passed = new TreeMap<>();
            Map<String, List<String>> failed = new TreeMap<>();
            Map<String, List<String>> rejected = new TreeMap<>();
            for (Case c : cases) {
                for (String op : c.ops()) {
                    passed.computeIfAbsent(op, k -> new int[1]);
                    failed.computeIfAbsent(op, k -> new ArrayList<>());
                    rejected.computeIfAbsent(op, k -> new ArrayList<>());
                    switch (c.outcome()) {
                        case PASSED -> passed.get(op)[0]++;
                        case FAILED -> failed.get(op).add(c.test() + ": " + c.detail());
                        case REJECTED -> rejected.get(op).add(c.test() + ": " + c.detail());
                    }
                }
            }
            Map<String, OpResult> results = new LinkedHashMap<>();
            passed.forEach((op, count) -> results.put(op, new OpResult(op, count[0], failed.get(op),
                    rejected.get(op))));
            return results;
        }

        public long count(Outcome outcome) {
            return cases.stream().filter(c -> c.outcome() == outcome).count();
        }
    }

    private final OpRegistry registry;

    public ConformanceSuite(OpRegistry registry) {
        this.registry = registry;
    }

    /** The Debian node tests' folder, if the package is installed (and not hidden, see {@link SystemData}). */
    public static Optional<Path> installedTests() {
        return SystemData.ONNX_NODE_TESTS.installedPath();
    }

    /** Runs every test under {@code directory} whose model uses only claimed ops. */
    public Report run(Path directory) {
        List<Path> tests;
        try (Stream<Path> list = Files.list(directory)) {
            tests = list.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list conformance tests in " + directory, e);
        }
        List<Case> cases = new ArrayList<>();
        int skipped = 0;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (Path test : tests) {
                ModelProto model = OnnxModels.read(test.resolve("model.onnx"));
                TreeSet<String> ops = new TreeSet<>();
                boolean claimed = true;
                for (NodeProto node : model.getGraph().getNodeList()) {
                    String domain = "ai.onnx".equals(node.getDomain()) ? "" : node.getDomain();
                    ops.add(domain.isEmpty() ? node.getOpType() : domain + ":" + node.getOpType());
                    claimed &= registry.find(domain, node.getOpType()).isPresent();
                }
                if (!claimed || ops.isEmpty()) {
                    skipped++;
                    continue;
                }
                cases.add(runCase(manager, test, model, List.copyOf(ops)));
            }
        }
        return new Report(directory, cases, skipped);
    }

    private Case runCase(NDManager parent, Path test, ModelProto model, List<String> ops) {
        String name = test.getFileName().toString();
        List<UnsupportedOp> unsupported = GraphInterpreter.validate(OnnxGraph.of(model), registry);
        if (!unsupported.isEmpty()) {
            return new Case(name, ops, Outcome.REJECTED, unsupported.getFirst().reason());
        }
        List<Path> dataSets;
        try (Stream<Path> list = Files.list(test)) {
            dataSets = list.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (CompiledGraph graph = GraphInterpreter.compile(model, CompileOptions.defaults().frozen())) {
            for (Path dataSet : dataSets) {
                String mismatch = runDataSet(parent, graph, model, dataSet);
                if (mismatch != null) {
                    return new Case(name, ops, Outcome.FAILED, mismatch);
                }
            }
            return new Case(name, ops, Outcome.PASSED, "");
        } catch (RuntimeException e) {
            return new Case(name, ops, Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Runs one data set; returns what differs, or null when every output agrees. */
    private static String runDataSet(NDManager parent, CompiledGraph graph, ModelProto model, Path dataSet) {
        try (NDManager batch = parent.newSubManager()) {
            Map<String, NDArray> inputs = new LinkedHashMap<>();
            List<ValueInfoProto> declared = model.getGraph().getInputList().stream()
                    .filter(i -> graph.inputNames().contains(i.getName())).toList();
            for (int i = 0; i < declared.size(); i++) {
                Path file = dataSet.resolve("input_" + i + ".pb");
                if (Files.exists(file)) {
                    inputs.put(declared.get(i).getName(), NDArrayTensors.toNDArray(batch, readTensor(file)));
                }
            }
            Map<String, NDArray> outputs = graph.forward(batch, inputs, false);
            List<String> names = graph.outputNames();
            int compared = 0;
            for (int i = 0; i < names.size(); i++) {
                Path file = dataSet.resolve("output_" + i + ".pb");
                if (!Files.exists(file)) {
                    continue;
                }
                String mismatch = compare(names.get(i), readTensor(file), outputs.get(names.get(i)));
                if (mismatch != null) {
                    return mismatch;
                }
                compared++;
            }
            return compared == 0 ? "the data set has no expected outputs" : null;
        }
    }

    private static TensorProto readTensor(Path file) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + " is not a TensorProto", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What differs between an expected tensor and an output, or null when they agree. */
    static String compare(String name, TensorProto expected, NDArray actual) {
        DataType expectedType = DataType.of(expected);
        DataType actualType = ElementTypes.onnxType(actual.getDataType());
        if (expectedType != actualType) {
            return "output '" + name + "' is " + actualType.onnxName() + ", expected " + expectedType.onnxName();
        }
        long[] expectedShape = Tensors.dims(expected);
        long[] actualShape = actual.getShape().getShape();
        if (!Arrays.equals(expectedShape, actualShape)) {
            return "output '" + name + "' has shape " + Arrays.toString(actualShape) + ", expected "
                    + Arrays.toString(expectedShape);
        }
        if (!expectedType.isFloatingPoint()) {
            long[] want = Tensors.toLongs(expected);
            long[] got = NDArrayTensors.toHost(actual).values();
            for (int i = 0; i < want.length; i++) {
                if (want[i] != got[i]) {
                    return "output '" + name + "' element " + i + " is " + got[i] + ", expected " + want[i];
                }
            }
            return null;
        }
        float[] want = Tensors.toFloats(expected);
        double[] got = actual.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            double w = want[i];
            double g = got[i];
            boolean same = Double.isNaN(w) ? Double.isNaN(g)
                    : w == g || Math.abs(g - w) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(w);
            if (!same) {
                return "output '" + name + "' element " + i + " is " + g + ", expected " + w;
            }
        }
        return null;
    }
}
