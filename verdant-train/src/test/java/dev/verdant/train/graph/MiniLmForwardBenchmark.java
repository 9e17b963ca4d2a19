package dev.verdant.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Not a test: the forward time of all-MiniLM-L6-v2 on 16 WordNet glosses through the interpreter and through ONNX
 * Runtime, same inputs, one JVM, median of {@code runs} after warm-up, both engines on the same number of threads
 * (PyTorch's, set with {@code -Dai.djl.pytorch.num_threads=N}). Run it from the module's test classpath:
 * {@code java -cp ... dev.verdant.train.graph.MiniLmForwardBenchmark [runs]}.
 */
public final class MiniLmForwardBenchmark {

    private MiniLmForwardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> sentences = MiniLmEquivalenceTest.wordNetGlosses(16);
        Path modelFile = BuiltinModel.MINILM.modelFile();
        MiniLmEquivalenceTest.Batch batch = MiniLmEquivalenceTest.Batch.of(BuiltinModel.MINILM.tokenizerFile(),
                sentences);
        double[] interpreter = new double[runs];
        double[] ort = new double[runs];
        try (CompiledGraph graph = GraphInterpreter.compile(OnnxModels.read(modelFile),
                CompileOptions.defaults().frozen())) {
            for (int i = -3; i < runs; i++) {
                try (NDManager manager = graph.manager().newSubManager()) {
                    Map<String, NDArray> inputs = batch.toNDArrays(manager);
                    long start = System.nanoTime();
                    NDArray hidden = graph.forward(manager, inputs, false).get(graph.outputNames().getFirst());
                    hidden.toFloatArray();
                    if (i >= 0) {
                        interpreter[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            runOrt(env, modelFile, options, batch, ort);
        }
        System.out.printf("all-MiniLM-L6-v2 fp32, batch %d x %d tokens, %d threads, median of %d runs after 3 warm-up%n",
                batch.ids().length, batch.ids()[0].length, threads, runs);
        System.out.printf("interpreter (DJL/PyTorch %s): %.1f ms%n", ai.djl.engine.Engine.getEngine("PyTorch")
                .getVersion(), median(interpreter));
        System.out.printf("ONNX Runtime:                  %.1f ms%n", median(ort));
    }

    private static void runOrt(OrtEnvironment env, Path modelFile, OrtSession.SessionOptions options,
            MiniLmEquivalenceTest.Batch batch, double[] ort) throws ai.onnxruntime.OrtException {
        int runs = ort.length;
        try (OrtSession session = env.createSession(modelFile.toString(), options)) {
            for (int i = -3; i < runs; i++) {
                try (OnnxTensor ids = OnnxTensor.createTensor(env, batch.ids());
                     OnnxTensor mask = OnnxTensor.createTensor(env, batch.mask());
                     OnnxTensor types = OnnxTensor.createTensor(env, batch.typeIds())) {
                    long start = System.nanoTime();
                    try (OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask,
                            "token_type_ids", types))) {
                        ((OnnxTensor) result.get(0)).getFloatBuffer();
                    }
                    if (i >= 0) {
                        ort[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
