package dev.verdant.cli.command;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.config.ConfigKeys;
import dev.verdant.cli.config.StarterConfig;
import dev.verdant.cli.option.ModelOptions;
import dev.verdant.cli.option.ShapeOptions;
import dev.verdant.data.Datasets;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.ModelRef;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verdant init}: a starter config for {@code verdant optimize --config}, from what inspect sees. */
@Command(
        name = "init",
        header = "Write a starter config for verdant optimize --config from what inspect sees of a model.",
        mixinStandardHelpOptions = true,
        description = "Write a YAML config for verdant optimize: the model, its inputs and outputs with their types and "
                + "shapes (as comments), a tolerance per output suggested by its kind (OUT=METRIC>=X), an objective "
                + "and a budget. Edit it, then run verdant optimize --config FILE; an option on the command line wins "
                + "over the file. Written whole or not at all; an existing file is kept unless --force.",
        footer = {"", "Example: verdant init lenet5.onnx --data fashion-mnist && verdant optimize --config verdant.yaml",
                "         verdant init silero_vad.onnx --shape input=1x256 --shape state=2x1x128   (dynamic inputs)"})
public final class InitCommand implements Callable<Integer> {

    /** The command the starter config is for. */
    static final String FOR_COMMAND = "optimize";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "verdant.yaml",
            description = "The config to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data", paramLabel = "DATA", description = "Real inputs to write as the config's data (a "
            + "dataset name or a path); without it the data line is a comment to fill in.")
    String data;

    @Option(names = "--force", description = "Replace an existing --out file (never one the run reads).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        ModelRef ref = model.resolve(null);
        Map<String, long[]> given = shapes.shapes();
        RunFiles.none().reading(ref.file(), ref.tokenizer().orElse(null), Datasets.pathOf(data))
                .writing("--out", out).check();
        if (!force && Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists; refusing to replace it (give --force, or "
                    + "another --out)");
        }
        ModelProto proto = ref.read();
        ModelSummary summary = ModelInspector.inspect(model.name(), Files.size(ref.file()), proto, given);
        CommandSpec target = spec.root().subcommands().get(FOR_COMMAND).getCommandSpec();
        StarterConfig starter = new StarterConfig(ConfigKeys.of(target), model.name(), data,
                ModelInputs.of(proto).readsText(), summary.inputs(), summary.outputs());
        AtomicFiles.write(out, starter.text().getBytes(StandardCharsets.UTF_8), ref.file());
        PrintWriter console = spec.commandLine().getOut();
        console.println("wrote " + out + ": a starter config for verdant " + FOR_COMMAND + " (" + count(summary.inputs()
                .size(), "input") + ", " + count(summary.outputs().size(), "output") + "); edit it, then run: verdant "
                + FOR_COMMAND + " --config " + out);
        console.flush();
        return ExitCode.OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
