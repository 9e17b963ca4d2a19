package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.ModelOptions;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.compress.pack.PackStats;
import dev.verdant.compress.pack.TensorStats;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant pack}: stores an ONNX model (best a pruned and weight-shared one) as a Huffman-coded {@code .vdz}. */
@Command(
        name = "pack",
        header = "Pack a pruned and shared model into a Huffman-coded .vdz container.",
        mixinStandardHelpOptions = true,
        description = "Pack an ONNX model into a .vdz container: weights as Huffman-coded cluster indices placed by "
                + "Huffman-coded relative sparse indices, the rest of the graph as a deflated ONNX skeleton. Lossless: "
                + "'verdant unpack' gives back the same tensors bit for bit (checked before writing). Prune and share "
                + "weights first (verdant compress --recipe prune:0.9,share:5bit) for the large ratios.")
public final class PackCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .vdz file to write.")
    Path out;

    /**
     * What {@code verdant pack} reports.
     *
     * @param model         the input as given
     * @param modelBytes    the input file's size
     * @param out           the container written
     * @param packedBytes   the container's size, every overhead included
     * @param ratio         modelBytes over packedBytes
     * @param tensorBytes   bytes of the coded tensors (headers, codebooks, Huffman tables, streams)
     * @param skeletonBytes bytes of the graph skeleton as stored
     * @param headerBytes   bytes of the container header
     * @param checksumBytes bytes of the checksum
     * @param tensors       one row per coded tensor
     */
    record PackSummary(String model, long modelBytes, String out, long packedBytes, double ratio, long tensorBytes,
                       long skeletonBytes, long headerBytes, long checksumBytes, List<TensorRow> tensors) {
    }

    /**
     * One coded tensor in {@link PackSummary}: see {@link TensorStats} for each field.
     */
    record TensorRow(String tensor, long[] dims, String layout, String values, long elements, long nonzeros,
                     int gapBits, long fillers, long headerBytes, long codebookBytes, long tableBytes, long gapBytes,
                     long valueBytes, long packedBytes, double bitsPerElement) {

        static TensorRow of(TensorStats t) {
            return new TensorRow(t.name(), t.dims(), t.layout(), t.values(), t.elements(), t.nonzeros(), t.gapBits(),
                    t.fillers(), t.headerBytes(), t.codebookBytes(), t.tableBytes(), t.gapBytes(), t.valueBytes(),
                    t.packedBytes(), t.bitsPerElement());
        }
    }

    @Override
    public Integer call() throws IOException {
        Path input = model.file();
        RunFiles files = RunFiles.none().reading(input).writing("--out", out).check();
        ModelProto proto = OnnxModels.read(input);
        long modelBytes = Files.size(input);
        VdzContainer.Packed packed = VdzContainer.pack(proto);
        AtomicFiles.write(out, packed.bytes(), files.inputArray());
        PackStats stats = packed.stats();
        output.print(new PackSummary(model.name(), modelBytes, out.toString(), stats.totalBytes(),
                (double) modelBytes / stats.totalBytes(), stats.tensorBytes(), stats.skeletonBytes(),
                stats.headerBytes(), stats.checksumBytes(), stats.tensors().stream().map(TensorRow::of).toList()),
                console -> printTable(console, stats, modelBytes));
        return ExitCode.OK;
    }

    private void printTable(PrintWriter console, PackStats stats, long modelBytes) {
        int width = Math.max(6, stats.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(6));
        console.printf(Locale.ROOT, "%-" + width + "s  %-14s  %-6s  %-16s  %8s  %6s  %10s  %10s%n", "tensor", "dims",
                "layout", "values", "nonzero", "bits/w", "bytes", "fp32 bytes");
        for (TensorStats t : stats.tensors()) {
            console.printf(Locale.ROOT, "%-" + width + "s  %-14s  %-6s  %-16s  %8s  %6.2f  %,10d  %,10d%n", t.name(),
                    Arrays.stream(t.dims()).mapToObj(Long::toString).collect(Collectors.joining("x")), t.layout(),
                    t.values(), Units.percent(t.elements() == 0 ? 0 : (double) t.nonzeros() / t.elements()),
                    t.bitsPerElement(), t.packedBytes(), t.originalBytes());
        }
        console.printf(Locale.ROOT, "%nModel      %s (%s)%n", model.name(), Units.bytes(modelBytes));
        console.printf(Locale.ROOT, "Packed     %s (%s): %.2fx smaller%n", out, Units.bytes(stats.totalBytes()),
                (double) modelBytes / stats.totalBytes());
        console.printf(Locale.ROOT, "  tensors  %s in %d coded tensors (codebooks, Huffman tables, indices, headers)%n",
                Units.bytes(stats.tensorBytes()), stats.tensors().size());
        console.printf(Locale.ROOT, "  graph    %s skeleton (%s as ONNX, deflated), %d B header, %d B checksum%n",
                Units.bytes(stats.skeletonBytes()), Units.bytes(stats.skeletonModelBytes()), stats.headerBytes(),
                stats.checksumBytes());
        console.println("Round trip checked: every tensor unpacks bit-identical.");
    }
}
