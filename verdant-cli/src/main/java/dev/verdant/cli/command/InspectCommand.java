package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.ModelOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.cli.option.ShapeOptions;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import dev.verdant.runtime.inspect.NodeCost;
import dev.verdant.runtime.inspect.ShapeSources;
import dev.verdant.runtime.inspect.TensorDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant inspect}: what a model is made of and what it costs to run. */
@Command(
        name = "inspect",
        header = "Show what a model is made of and what it costs to run.",
        mixinStandardHelpOptions = true,
        description = "Opset, inputs and outputs, parameters, bytes by data type, operators, weight sparsity, and "
                + "MACs/FLOPs per node for concrete input shapes.")
public final class InspectCommand implements Callable<Integer> {

    /** How many probed tensors the table names; the JSON output has them all. */
    private static final int PROBED_NAMES_SHOWN = 8;

    @Mixin
    OutputOptions output;

    @Mixin
    ModelOptions model;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "10",
            description = "How many of the costliest nodes the table lists (default ${DEFAULT-VALUE}).")
    int topNodes;

    @Override
    public Integer call() throws IOException {
        Map<String, long[]> given = shapes.shapes();
        Path file = model.file();
        ModelProto proto = OnnxModels.read(file);
        ModelSummary summary = ModelInspector.inspect(model.name(), Files.size(file), proto, given);
        PrintWriter err = output.err();
        summary.warnings().forEach(warning -> err.println("verdant: warning: " + warning));
        err.flush();
        output.print(summary, out -> printTable(out, summary));
        return ExitCode.OK;
    }

    private void printTable(PrintWriter out, ModelSummary s) {
        out.printf(Locale.ROOT, "Model      %s%n", s.model());
        out.printf(Locale.ROOT, "Format     IR %d, opsets %s%s%n", s.irVersion(), s.opsets(),
                s.producer().isEmpty() ? "" : ", produced by " + s.producer());
        for (TensorDescription t : s.inputs()) {
            out.printf(Locale.ROOT, "Input      %-22s %-7s %s -> %s%n", t.name(), t.type(), t.declared(), dims(t.shape()));
        }
        for (TensorDescription t : s.outputs()) {
            out.printf(Locale.ROOT, "Output     %-22s %-7s %s -> %s%n", t.name(), t.type(), t.declared(), dims(t.shape()));
        }
        out.printf(Locale.ROOT, "Params     %,d floating-point (%s)%s%n", s.params(), Units.count(s.params()),
                s.quantizedParams() > 0 ? String.format(Locale.ROOT, ", %,d quantized (%s)", s.quantizedParams(),
                        Units.count(s.quantizedParams())) : "");
        out.printf(Locale.ROOT, "Size       %,d bytes on disk (%s)%n", s.bytes(), Units.bytes(s.bytes()));
        s.bytesByType().forEach((type, bytes) ->
                out.printf(Locale.ROOT, "             %-8s %,15d bytes%n", type, bytes));
        out.printf(Locale.ROOT, "Sparsity   %s of %,d weight elements are exactly zero%n", Units.percent(s.sparsity()),
                s.weightElements());
        out.printf(Locale.ROOT, "Compute    %,d MACs (%s), %,d FLOPs (%s) incl. %,d elementwise%n", s.macs(),
                Units.count(s.macs()), s.flops(), Units.count(s.flops()), s.elementwiseFlops());
        out.printf(Locale.ROOT, "Operators  %d nodes: %s%n", s.nodeCount(), s.ops());
        out.printf(Locale.ROOT, "Shapes     %s%n", shapeSources(s.shapes()));
        List<NodeCost> costliest = s.nodes().stream().filter(n -> n.flops() > 0)
                .sorted(Comparator.comparingLong(NodeCost::flops).reversed()).limit(Math.max(0, topNodes)).toList();
        if (!costliest.isEmpty()) {
            out.printf(Locale.ROOT, "%nCostliest nodes%n  %-48s %-22s %-16s %14s %14s%n", "node", "op", "output", "MACs",
                    "elementwise");
            for (NodeCost n : costliest) {
                out.printf(Locale.ROOT, "  %-48s %-22s %-16s %,14d %,14d%n", abbreviate(n.name(), 48), n.opType(),
                        dims(n.outputShape()), n.macs(), n.elementwiseFlops());
            }
        }
        if (!s.assumptions().isEmpty()) {
            out.println();
            s.assumptions().forEach(a -> out.println("Assumed    " + a));
        }
    }

    /** Where the node outputs' shapes came from, and the names of the probed ones (the first few). */
    private static String shapeSources(ShapeSources sources) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%,d node outputs by ONNX shape rules",
                sources.byRules()));
        if (sources.fromValueInfo() > 0) {
            line.append(String.format(Locale.ROOT, ", %,d from the model's value_info", sources.fromValueInfo()));
        }
        if (sources.probed().isEmpty()) {
            line.append(", none by running the model");
        } else {
            List<String> names = sources.probed();
            line.append(String.format(Locale.ROOT, ", %,d by running it in ONNX Runtime (%d %s): %s%s", names.size(),
                    sources.probeRuns(), sources.probeRuns() == 1 ? "run" : "runs",
                    String.join(", ", names.subList(0, Math.min(PROBED_NAMES_SHOWN, names.size()))),
                    names.size() > PROBED_NAMES_SHOWN ? ", …" : ""));
        }
        if (sources.unknown() > 0) {
            line.append(String.format(Locale.ROOT, "; %,d not found", sources.unknown()));
        }
        return line.toString();
    }

    private static String dims(long[] shape) {
        return shape == null ? "?" : Arrays.toString(shape);
    }

    private static String abbreviate(String text, int width) {
        return text.length() <= width ? text : "…" + text.substring(text.length() - width + 1);
    }
}
