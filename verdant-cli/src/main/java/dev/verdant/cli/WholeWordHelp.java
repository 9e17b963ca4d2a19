package dev.verdant.cli;

import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine;

/**
 * Usage help that wraps lines at spaces only. Picocli wraps with {@link java.text.BreakIterator#getLineInstance()},
 * which (unlike Unicode's line-breaking rules) allows a break after a {@code .} or {@code :} inside a word, so
 * tokens users copy from the help came out split: {@code file.} / {@code csv#labelColumn}, {@code ~/.} /
 * {@code verdant/verdant.properties}, {@code prune:} / {@code SPARSITY}. This help lays out the description,
 * header, footer, command list and option and parameter lists in {@link WholeWordTextTable}s instead.
 */
final class WholeWordHelp extends Help {

    /** Installs this help on a command line and all its subcommands (call it after adding them). */
    static void install(CommandLine commandLine) {
        commandLine.setHelpFactory(WholeWordHelp::new);
    }

    private WholeWordHelp(CommandSpec spec, ColorScheme scheme) {
        super(spec, scheme);
    }

    @Override
    public String description(Object... params) {
        return paragraphs(commandSpec().usageMessage().description(), params);
    }

    @Override
    public String header(Object... params) {
        return paragraphs(commandSpec().usageMessage().header(), params);
    }

    @Override
    public String footer(Object... params) {
        return paragraphs(commandSpec().usageMessage().footer(), params);
    }

    /** Picocli's layout (its column widths and renderers) over a table that wraps at spaces. */
    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                      ColorScheme scheme) {
        Layout layout = super.createDefaultLayout(options, positionals, scheme);
        return new Layout(scheme, WholeWordTextTable.like(layout.textTable(), scheme), layout.optionRenderer(),
                layout.parameterRenderer());
    }

    /** As picocli's: names in a column as wide as the longest (at most half the width), then each header. */
    @Override
    public String commandList(Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        int width = commandSpec().usageMessage().width();
        int nameWidth = Math.min(subcommands.keySet().stream().mapToInt(String::length).max().orElse(0), width / 2);
        TextTable table = new WholeWordTextTable(colorScheme(), adjustCjk(),
                new Column(nameWidth + 2, 2, Column.Overflow.SPAN),
                new Column(width - (nameWidth + 2), 2, Column.Overflow.WRAP));
        for (Help help : subcommands.values()) {
            CommandLine.Model.UsageMessageSpec usage = help.commandSpec().usageMessage();
            String summary = usage.header().length > 0 ? usage.header()[0]
                    : usage.description().length > 0 ? usage.description()[0] : "";
            Text[] lines = colorScheme().text(format(summary)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? help.commandNamesText(", ") : colorScheme().text(""), lines[i]);
            }
        }
        return table.toString();
    }

    /** Lines as picocli's {@code Help.join} lays them out: one full-width column, wrapped lines not indented. */
    private String paragraphs(String[] lines, Object... params) {
        if (lines == null || lines.length == 0) {
            return "";
        }
        TextTable table = new WholeWordTextTable(colorScheme(), adjustCjk(),
                new Column(commandSpec().usageMessage().width(), 0, Column.Overflow.WRAP));
        table.indentWrappedLines = 0;
        for (String line : lines) {
            table.addRowValues(format(line, params));
        }
        return table.toString();
    }

    private boolean adjustCjk() {
        return commandSpec().usageMessage().adjustLineBreaksForWideCJKCharacters();
    }

    /** {@code String.format} as picocli applies it to help text, leaving text that is no format string as it is. */
    private static String format(String text, Object... params) {
        if (text == null) {
            return "";
        }
        try {
            return String.format(text, params);
        } catch (IllegalFormatException e) {
            return text;
        }
    }
}
