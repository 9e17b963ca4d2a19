package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine;

class HelpWrappingTest {

    /** Longer words than this may be wider than a column, where cutting them is the only choice. */
    private static final int LONGEST_CHECKED_WORD = 40;

    @Test
    void noWordOfAnyCommandsHelpIsSplitAcrossLines() {
        CommandLine verdant = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<CommandLine> commands = new ArrayList<>(List.of(verdant));
        commands.addAll(verdant.getSubcommands().values());
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            Set<String> rendered = new HashSet<>(Arrays.asList(help.split("\\s+")));
            for (String word : wordsOf(command)) {
                checked++;
                if (!rendered.contains(word)) {
                    broken.add(command.getCommandName() + ": " + word);
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000);
        assertThat(broken).as("words split across lines").isEmpty();
    }

    @Test
    void theWordsANewcomerSawSplitAreWhole() {
        assertThat(help("bench")).contains("(file.csv#labelColumn)");
        assertThat(help("track")).contains("~/.verdant/verdant.properties,").contains("azure:westeurope);");
        assertThat(help("compress")).contains("prune:SPARSITY");
        assertThat(help("estimate")).contains("azure:westeurope);");
    }

    @Test
    void aLineLongerThanTheColumnIsCutAtSpacesOnly() {
        CommandLine.Help.Ansi.Text text = CommandLine.Help.Ansi.OFF.new Text("a .csv file (file.csv#labelColumn), then");
        assertThat(WholeWordTextTable.lines(text, 20, 18)).extracting(CommandLine.Help.Ansi.Text::plainString)
                .containsExactly("a .csv file", "(file.csv#labelColumn),", "then");
    }

    private static String help(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).isZero();
        return run.out();
    }

    /** The words of a command's texts as written (before wrapping), that the rendered help should show whole. */
    private static List<String> wordsOf(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        List<String> texts = new ArrayList<>();
        texts.addAll(Arrays.asList(usage.header()));
        texts.addAll(Arrays.asList(usage.description()));
        texts.addAll(Arrays.asList(usage.footer()));
        for (ArgSpec arg : command.getCommandSpec().args()) {
            if (!arg.hidden()) {
                texts.addAll(Arrays.asList(arg.description()));
            }
        }
        return texts.stream().map(HelpWrappingTest::formatted).flatMap(t -> Arrays.stream(t.split("\\s+")))
                .filter(w -> !w.isEmpty() && w.length() <= LONGEST_CHECKED_WORD && !w.contains("${"))
                .collect(Collectors.toList());
    }

    private static String formatted(String text) {
        try {
            return String.format(text);
        } catch (IllegalFormatException e) {
            return text;
        }
    }
}
