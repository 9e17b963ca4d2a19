package dev.verdant.bench;

import dev.verdant.bench.BenchResult.Comparison;
import dev.verdant.bench.BenchResult.Measurement;
import dev.verdant.bench.BenchResult.ModelFacts;
import java.util.Locale;

/** The console view of a {@link BenchResult}: models, one row per measurement, the ratios, and how energy was got. */
public final class BenchTable {

    private BenchTable() {
    }

    /** The whole result as aligned text lines. */
    public static String format(BenchResult result) {
        StringBuilder out = new StringBuilder();
        for (ModelFacts model : result.models()) {
            out.append(String.format(Locale.ROOT, "%-9s %s: %.2f MB, %,d params%s, %,d MACs per inference%n",
                    model.role(), model.label(), model.bytes() / 1e6, model.params(),
                    model.quantizedParams() > 0 ? String.format(Locale.ROOT, " + %,d quantized", model.quantizedParams())
                            : "", model.macs()));
        }
        out.append("Inputs    ").append(result.settings().inputDescription()).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "Machine   %s, %d CPUs, ONNX Runtime %s%n%n", result.machine().cpuModel(),
                result.machine().logicalCpus(), result.machine().onnxRuntime()));
        int width = Math.max(5, result.models().stream().mapToInt(m -> m.label().length()).max().orElse(5));
        String header = "%-" + width + "s %7s %5s %5s %9s %9s %9s %9s %10s %7s %7s %10s %10s%n";
        out.append(String.format(Locale.ROOT, header, "model", "threads", "batch", "runs", "p50 ms", "p90 ms",
                "p99 ms", "mean ms", "inf/s", "load MB", "peak MB", "mJ/inf", "gCO2e/M"));
        String row = "%-" + width + "s %7d %5d %5d %9.3f %9.3f %9.3f %9.3f %10.1f %7.0f %7.0f %10.3f %10.3f%n";
        for (Measurement m : result.measurements()) {
            out.append(String.format(Locale.ROOT, row, m.model(), m.threads(), m.batchSize(), m.latency().runs(),
                    m.latency().p50Millis(), m.latency().p90Millis(), m.latency().p99Millis(), m.latency().meanMillis(),
                    m.inferencesPerSecond(), m.loadResidentBytes() / 1e6, m.peakResidentBytes() / 1e6,
                    m.energyJoulesPerInference() * 1e3,
                    m.co2eGramsPerMillionInferences()));
        }
        if (!result.comparisons().isEmpty()) {
            Comparison first = result.comparisons().get(0);
            out.append(String.format(Locale.ROOT, "%n%s against %s (speedup and throughput > 1, size and energy < 1 "
                    + "favour %s)%n", first.model(), first.baseline(), first.model()));
            out.append(String.format(Locale.ROOT, "%7s %5s %8s %10s %6s %7s%n", "threads", "batch", "speedup",
                    "throughput", "size", "energy"));
            for (Comparison c : result.comparisons()) {
                out.append(String.format(Locale.ROOT, "%7d %5d %7.2fx %9.2fx %5.2fx %6.2fx%n", c.threads(),
                        c.batchSize(), c.speedup(), c.throughputRatio(), c.sizeRatio(), c.energyRatio()));
            }
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
}
