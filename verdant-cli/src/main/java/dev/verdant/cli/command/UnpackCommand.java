package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.console.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verdant unpack}: rebuilds the ONNX model a {@code .vdz} container holds. */
@Command(
        name = "unpack",
        header = "Unpack a .vdz container into the ONNX model it was packed from.",
        mixinStandardHelpOptions = true,
        description = "Unpack a .vdz container into the ONNX model it was packed from: the same graph and the same tensor "
                + "bytes, so ONNX Runtime gives bit-identical outputs. Weight-shared layers stay in their codebook + "
                + "Gather form, which ONNX Runtime folds into plain weights when it loads the file.")
public final class UnpackCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "FILE.vdz", description = "The container to unpack.")
    Path container;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    /**
     * What {@code verdant unpack} reports.
     *
     * @param container      the container read
     * @param containerBytes its size
     * @param out            the ONNX file written
     * @param modelBytes     its size
     * @param nodes          nodes in its main graph
     * @param initializers   initializers in its main graph
     */
    record UnpackSummary(String container, long containerBytes, String out, long modelBytes, int nodes,
                         int initializers) {
    }

    @Override
    public Integer call() throws IOException {
        RunFiles files = RunFiles.none().reading(container).writing("--out", out).check();
        ModelProto model = VdzContainer.unpack(container);
        OnnxModels.write(model, out, files.inputArray());
        UnpackSummary summary = new UnpackSummary(container.toString(), Files.size(container), out.toString(),
                Files.size(out), model.getGraph().getNodeCount(), model.getGraph().getInitializerCount());
        output.print(summary, console -> console.printf(Locale.ROOT,
                "Unpacked %s (%s) into %s (%s): %d nodes, %d initializers%n", summary.container(),
                Units.bytes(summary.containerBytes()), summary.out(), Units.bytes(summary.modelBytes()),
                summary.nodes(), summary.initializers()));
        return ExitCode.OK;
    }
}
