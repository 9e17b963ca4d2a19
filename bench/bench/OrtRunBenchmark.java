/*
 * JMH cross-check of the `verdant bench` runner: the same ONNX Runtime call it times (session.run of one prepared
 * batch, outputs closed), measured by JMH in its own forked JVM, plus the cost of what the runner does between
 * blocks (reading the energy tracker's cumulative counters and the process's peak memory). If JMH's average and
 * `verdant bench`'s mean agree, the runner's loop adds nothing of its own; the between-block costs show why
 * blocks, not single runs, are bracketed by energy reads.
 *
 * Run with bench/bench/run.sh (see README.md there).
 */
package dev.verdant.bench.jmh;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.bench.PreparedBatches;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.data.BatchPadding;
import dev.verdant.runtime.Feed;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"})
public class OrtRunBenchmark {

    /** One model's session and real WordNet sentences, tokenized as `verdant bench --data wordnet-nouns` does. */
    @State(Scope.Benchmark)
    public static class Session {
        @Param({"minilm-int8", "minilm"})
        public String model;

        @Param({"1"})
        public int batch;

        @Param({"128"})
        public int sequenceLength;

        OrtSession session;
        PreparedBatches inputs;
        long run;

        @Setup(Level.Trial)
        public void open() throws OrtException {
            BuiltinModel builtin = BuiltinModel.byName(model).orElseThrow();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = OrtEnvironment.getEnvironment().createSession(builtin.modelFile().toString(), options);
            }
            Feed feed = Feed.fromData("wordnet-nouns", builtin.tokenizerFile(), sequenceLength, BatchPadding.MAX, 256, 42);
            inputs = feed.prepare(session, batch);
        }

        @TearDown(Level.Trial)
        public void close() throws OrtException {
            inputs.close();
            session.close();
        }
    }

    /** The energy tracker and the memory reader the runner consults around each block. */
    @State(Scope.Benchmark)
    public static class Probes {
        TrackedRun energy;
        final ProcessMemory memory = ProcessMemory.current();

        @Setup(Level.Trial)
        public void start() {
            energy = Tracker.builder().build().startRun("jmh");
        }

        @TearDown(Level.Trial)
        public void stop() {
            energy.stop();
        }
    }

    @Benchmark
    public long sessionRun(Session s) throws OrtException {
        try (OrtSession.Result result = s.session.run(s.inputs.feeds(s.run++))) {
            return result.size();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object energyRead(Probes p) {
        return p.energy.energySoFar();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long peakMemoryRead(Probes p) {
        return p.memory.peakResidentBytes().orElse(0);
    }
}
