package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.ModelEnsemble;
import dev.verdant.report.console.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verdant ensemble}: joins classifiers into one model that averages their logits, e.g. as a teacher. */
@Command(
        name = "ensemble",
        header = "Join classifiers that read the same input into one model averaging their outputs.",
        mixinStandardHelpOptions = true,
        description = "Join two or more ONNX classifiers that read the same input into one ONNX model whose output is "
                + "the element-wise mean of their first outputs (logits). The members run side by side in one graph; "
                + "the usual use is a stronger teacher for `verdant compress --recipe distill:...` or `verdant train "
                + "--teacher` (Hinton et al. 2015). Members must agree on the input, the output type and the opset.")
public final class EnsembleCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "The member ONNX files (2 or more).")
    List<Path> members;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    /**
     * What {@code verdant ensemble} reports.
     *
     * @param members     the member files, in order (member i's names carry the prefix {@code m<i>/})
     * @param out         the ensemble written
     * @param modelBytes  its size
     * @param nodes       nodes in its graph, the final Mean included
     */
    record EnsembleSummary(List<String> members, String out, long modelBytes, int nodes) {
    }

    @Override
    public Integer call() throws IOException {
        RunFiles files = RunFiles.none().reading(members.toArray(Path[]::new)).writing("--out", out).check();
        List<ModelProto> models = new ArrayList<>();
        for (Path member : members) {
            models.add(OnnxModels.read(member));
        }
        ModelProto ensemble = ModelEnsemble.mean(models);
        OnnxModels.write(ensemble, out, files.inputArray());
        EnsembleSummary summary = new EnsembleSummary(members.stream().map(Path::toString).toList(), out.toString(),
                Files.size(out), ensemble.getGraph().getNodeCount());
        output.print(summary, console -> console.printf(Locale.ROOT,
                "Wrote %s (%s, %d nodes): the mean of the outputs of %d models: %s%n", summary.out(),
                Units.bytes(summary.modelBytes()), summary.nodes(), members.size(), String.join(", ", summary.members())));
        return ExitCode.OK;
    }
}
