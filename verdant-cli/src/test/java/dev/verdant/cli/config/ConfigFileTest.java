package dev.verdant.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.cli.Cli;
import dev.verdant.cli.CliRun;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.ConfigOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

class ConfigFileTest {

    @TempDir
    Path dir;

    private static CommandLine cli() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static CommandSpec spec(String command) {
        return cli().getSubcommands().get(command).getCommandSpec();
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The command's options after parsing {@code args} and setting the config's lists, as a command sees them. */
    private static CommandSpec parsed(String... args) {
        ParseResult result = cli().parseArgs(args);
        ConfigDefaults.apply(result);
        return result.subcommand().commandSpec();
    }

    private static Object value(CommandSpec spec, String key) {
        return ConfigKeys.of(spec).arg(key).orElseThrow().getValue();
    }

    @Test
    void theKeysAreTheCommandsOwnOptionsAndItsModel() {
        CommandSpec optimize = spec("optimize");
        ConfigKeys keys = ConfigKeys.of(optimize);
        assertThat(keys.keys()).startsWith("model").contains("data", "tokenizer", "calibration", "check",
                "sequence-length", "padding", "max-accuracy-drop", "min-fidelity", "objective", "budget",
                "max-candidates", "threads", "batch", "measure-time", "work", "out", "json")
                .doesNotContain("config", "help", "version", "verbose");
        // every option but help, version, --config and the root's --verbose is a key: none is left out by a list
        long options = optimize.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp() && !o.inherited())
                .count();
        assertThat(keys.keys()).hasSize((int) options - 1 + optimize.positionalParameters().size());
        assertThat(ConfigKeys.of(spec("compress")).keys()).contains("recipe", "keep-float", "per-tensor", "rounds");
        assertThat(keys.nearest("budjet")).isEqualTo("budget");
        assertThat(keys.nearest("max_accuracy_drop")).isEqualTo("max-accuracy-drop");
    }

    @Test
    void theFileGivesWhatTheCommandLineDoesNotAndTheCommandLineWins() throws IOException {
        Path config = file("verdant.yaml", """
                model: lenet5.onnx
                data: fashion-mnist-sample
                budget: 90s
                threads: [1, 4]
                batch: 8
                max-candidates: 3
                min-fidelity: 0.98
                """);
        CommandSpec optimize = parsed("optimize", "--config", config.toString(), "--batch", "2");
        assertThat(value(optimize, "model")).isEqualTo("lenet5.onnx");
        assertThat(value(optimize, "data")).isEqualTo("fashion-mnist-sample");
        assertThat(value(optimize, "budget")).isEqualTo("90s");
        assertThat(value(optimize, "threads")).isEqualTo(List.of(1, 4));
        assertThat(value(optimize, "batch")).isEqualTo(2);   // the command line wins
        assertThat(value(optimize, "max-candidates")).isEqualTo(3);
        assertThat(value(optimize, "min-fidelity")).isEqualTo(0.98);
        assertThat(value(optimize, "objective")).isEqualTo("energy");   // neither: the command's default
        assertThat(value(optimize, "check")).isEqualTo(500);

        // a list on the command line replaces the file's, and the model given on the command line wins too
        CommandSpec again = parsed("optimize", "other.onnx", "--config", config.toString(), "--threads", "2");
        assertThat(value(again, "threads")).isEqualTo(List.of(2));
        assertThat(value(again, "model")).isEqualTo("other.onnx");
    }

    /** A command as another helper might write one: its options in a mixin, repeatable and of pairs. */
    @CommandLine.Command(name = "probe")
    static final class ProbeCommand {
        @CommandLine.Mixin
        ConfigOptions config;

        @CommandLine.Mixin
        QualityLike quality;

        @CommandLine.Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @CommandLine.ArgGroup(exclusive = false)
        AudioGroup audio;
    }

    /** Options in an argument group, which picocli gives no default values. */
    static final class AudioGroup {
        @CommandLine.Option(names = "--frame")
        int frame;
    }

    /** Options no code of the config knows by name. */
    static final class QualityLike {
        @CommandLine.Option(names = "--tolerance")
        List<String> tolerances;

        @CommandLine.Option(names = "--fill")
        Map<String, String> fills;

        @CommandLine.Option(names = "--plugin")
        List<Path> plugins;

        @CommandLine.Option(names = "--state", required = true)
        List<String> states;
    }

    @Test
    void optionsAnyMixinDeclaresAreKeysRepeatableOnesTakingListsAndPairsMappings() throws IOException {
        Path config = file("probe.yaml", """
                model: vad.onnx
                tolerance: [out=cos>=0.99, "logits=top1-agree>=0.995"]
                fill: {sr: 16000}
                plugin: [a.jar, b.jar]
                state: stateN=state
                """);
        CommandLine probe = new CommandLine(new ProbeCommand());
        ConfigDefaults.install(probe.getCommandSpec());
        ParseResult result = probe.parseArgs("--config", config.toString());
        ConfigDefaults.apply(result);
        CommandSpec spec = result.commandSpec();
        assertThat(ConfigKeys.of(spec).keys()).containsExactly("model", "tolerance", "fill", "plugin", "state",
                "frame");
        assertThat(value(spec, "tolerance")).isEqualTo(List.of("out=cos>=0.99", "logits=top1-agree>=0.995"));
        assertThat(value(spec, "fill")).isEqualTo(Map.of("sr", "16000"));
        assertThat(value(spec, "plugin")).isEqualTo(List.of(Path.of("a.jar"), Path.of("b.jar")));
        assertThat(value(spec, "state")).isEqualTo(List.of("stateN=state"));   // required, given by the file

        ParseResult typed = probe.parseArgs("--config", config.toString(), "--tolerance", "out=max-abs<=0.1");
        ConfigDefaults.apply(typed);
        assertThat(value(typed.commandSpec(), "tolerance")).isEqualTo(List.of("out=max-abs<=0.1"));
        assertThat(value(typed.commandSpec(), "plugin")).isEqualTo(List.of(Path.of("a.jar"), Path.of("b.jar")));

        // an option of an argument group is refused by name: picocli would not make the group's object for it
        Path grouped = file("grouped.yaml", "model: vad.onnx\nstate: [a=b]\nframe: 512\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.parseArgs("--config", grouped.toString()))
                .hasMessage(grouped + ": key 'frame' is an option of an argument group, which a config file cannot "
                        + "set; give --frame <frame> on the command line");

        // a required list given on the command line wins too (picocli asks for defaults while checking required ones)
        ParseResult state = probe.parseArgs("--config", config.toString(), "--state", "h=h0", "--state", "c=c0");
        ConfigDefaults.apply(state);
        assertThat(value(state.commandSpec(), "state")).isEqualTo(List.of("h=h0", "c=c0"));
    }

    @Test
    void requiredOptionsFlagsAndPathsComeFromTheFileAsTheyWouldFromTheCommandLine() throws IOException {
        Path config = file("compress.yaml", """
                model: lenet5.onnx
                recipe: int8-static
                out: small.onnx
                per-tensor: true
                symmetric: false
                keep-float: "/conv1/*"
                threads: 1
                """);
        CommandSpec compress = parsed("compress", "--config", config.toString());
        assertThat(value(compress, "recipe")).isEqualTo("int8-static");
        assertThat(value(compress, "out")).isEqualTo(Path.of("small.onnx"));
        assertThat(value(compress, "per-tensor")).isEqualTo(true);
        assertThat(value(compress, "symmetric")).isEqualTo(false);
        assertThat(value(compress, "keep-float")).isEqualTo("/conv1/*");
        assertThat(value(compress, "threads")).isEqualTo(1);
    }

    @Test
    void aBadConfigIsOneLineNamingTheFileAndTheKeyAndExits2() throws IOException {
        record Bad(String text, String says) {
        }
        List<Bad> cases = List.of(
                new Bad("model: m.onnx\nbudjet: 10m\n", "unknown key 'budjet' for verdant optimize; did you mean 'budget'?"),
                new Bad("max_accuracy_drop: 1pt\n", "did you mean 'max-accuracy-drop'?"),
                new Bad("batch: many\n", "key 'batch': 'many' is not an int (--batch N)"),
                new Bad("objective: [size, energy]\n", "key 'objective' takes one value (--objective WHAT), not a list"),
                new Bad("threads: [1, [2]]\n", "key 'threads' item 2 takes a value, not a list"),
                new Bad("json: 3\n", "key 'json' takes true or false, not '3'"),
                new Bad("batch:\n", "key 'batch' has no value"),
                new Bad("model: m.onnx\n  data: x: y\n", "is not valid YAML (line 2"),
                new Bad("budget: 1m\nbudget: 2m\n", "Duplicate field 'budget'"),
                new Bad("- model\n- budget\n", "a config is a mapping of option names to values"));
        for (int i = 0; i < cases.size(); i++) {
            Path config = file("bad" + i + ".yaml", cases.get(i).text());
            CliRun run = CliRun.of("optimize", "--config", config.toString());
            assertThat(run.exitCode()).as(cases.get(i).text()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run.err().strip()).as(cases.get(i).text()).doesNotContain("\n")
                    .startsWith("verdant: " + config).contains(cases.get(i).says());
        }
        CliRun missing = CliRun.of("optimize", "--config", dir.resolve("absent.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err().strip()).isEqualTo("verdant: --config: no such file: " + dir.resolve("absent.yaml"));
        CliRun folder = CliRun.of("compress", "--config", dir.toString());
        assertThat(folder.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(folder.err().strip()).contains("is a folder").doesNotContain("\n");
    }

    @Test
    void aReportGivesTheConfigItRecordedAndOnlyToItsOwnCommand() throws IOException {
        Path report = file("report.json", """
                {"kind": "report", "schema_version": 2, "title": "t",
                 "run": {"tool": "verdant optimize", "command": "verdant optimize m.onnx",
                         "config": {"model": "m.onnx", "threads": [2], "objective": "size", "json": false}}}
                """);
        CommandSpec optimize = parsed("optimize", "--config", report.toString());
        assertThat(value(optimize, "model")).isEqualTo("m.onnx");
        assertThat(value(optimize, "threads")).isEqualTo(List.of(2));
        assertThat(value(optimize, "objective")).isEqualTo("size");

        CliRun compress = CliRun.of("compress", "--config", report.toString());
        assertThat(compress.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(compress.err().strip()).doesNotContain("\n")
                .contains("is a report of 'verdant optimize': its config repeats that command, not verdant compress");

        Path old = file("old.json", """
                {"kind": "report", "schema_version": 2, "title": "t",
                 "run": {"tool": "verdant optimize", "command": "verdant optimize m.onnx --data d"}}
                """);
        CliRun none = CliRun.of("optimize", "--config", old.toString());
        assertThat(none.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(none.err().strip()).doesNotContain("\n").contains("records no config")
                .contains("'verdant optimize m.onnx --data d'");
    }
}
