package dev.verdant.report.console;

import dev.verdant.report.Benchmark;
import dev.verdant.report.Benchmark.Comparison;
import dev.verdant.report.Benchmark.Measurement;
import dev.verdant.report.Benchmark.ModelFacts;
import dev.verdant.report.Result;
import java.util.List;
import java.util.Locale;

/**
 * The console view of a bench {@link Result}: models, one row per measurement, the ratios, and how energy was got.
 */
public final class BenchmarkText {

    private BenchmarkText() {
    }

    /** The whole result as aligned text lines. */
    public static String format(Result result) {
        Benchmark bench = result.bench();
        StringBuilder out = new StringBuilder();
        for (ModelFacts model : bench.models()) {
            out.append(String.format(Locale.ROOT, "%-9s %s: %.2f MB, %,d params%s, %,d MACs per inference%n",
                    model.role(), model.label(), model.bytes() / 1e6, model.params(),
                    model.quantizedParams() > 0 ? String.format(Locale.ROOT, " + %,d quantized", model.quantizedParams())
                            : "", model.macs()));
        }
        out.append("Inputs    ").append(bench.settings().inputDescription()).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "Machine   %s, %d CPUs, ONNX Runtime %s%n%n", result.machine().cpuModel(),
                result.machine().logicalCpus(), result.machine().onnxRuntime()));
        ConsoleTable measurements = new ConsoleTable(List.of(ConsoleTable.Column.left("model").atLeast(5),
                right("threads", 7), right("batch", 5), right("runs", 5), right("p50 ms", 9), right("p90 ms", 9),
                right("p99 ms", 9), right("mean ms", 9), right("inf/s", 10), right("load MB", 7), right("peak MB", 7),
                right("mJ/inf", 10), right("gCO2e/M", 10)), " ");
        for (Measurement m : bench.measurements()) {
            measurements.row(m.model(), Integer.toString(m.threads()), Integer.toString(m.batchSize()),
                    Integer.toString(m.latency().runs()), fixed(m.latency().p50Millis(), 3),
                    fixed(m.latency().p90Millis(), 3), fixed(m.latency().p99Millis(), 3),
                    fixed(m.latency().meanMillis(), 3), fixed(m.inferencesPerSecond(), 1),
                    fixed(m.loadResidentBytes() / 1e6, 0), fixed(m.peakResidentBytes() / 1e6, 0),
                    fixed(m.energyJoulesPerInference() * 1e3, 3), fixed(m.co2eGramsPerMillionInferences(), 3));
        }
        measurements.lines().forEach(line -> out.append(line).append(System.lineSeparator()));
        if (!bench.comparisons().isEmpty()) {
            Comparison first = bench.comparisons().get(0);
            out.append(String.format(Locale.ROOT, "%n%s against %s (speedup and throughput > 1, size and energy < 1 "
                    + "favour %s)%n", first.model(), first.baseline(), first.model()));
            ConsoleTable ratios = new ConsoleTable(List.of(right("threads", 7), right("batch", 5), right("speedup", 8),
                    right("throughput", 10), right("size", 6), right("energy", 7)), " ");
            for (Comparison c : bench.comparisons()) {
                ratios.row(Integer.toString(c.threads()), Integer.toString(c.batchSize()), times(c.speedup()),
                        times(c.throughputRatio()), times(c.sizeRatio()), times(c.energyRatio()));
            }
            ratios.lines().forEach(line -> out.append(line).append(System.lineSeparator()));
        }
        out.append(String.format(Locale.ROOT, "%nEnergy    %s: %s%n", result.energy().method(), result.energy().scope()));
        out.append(String.format(Locale.ROOT, "Carbon    %s, PUE %.2f%n", result.energy().grid(), result.energy().pue()));
        for (String assumption : result.energy().assumptions()) {
            out.append("Assumed   ").append(assumption).append(System.lineSeparator());
        }
        for (String note : result.notes()) {
            out.append("Note      ").append(note).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static ConsoleTable.Column right(String header, int width) {
        return ConsoleTable.Column.right(header).atLeast(width);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }
}
