package dev.verdant.cli.command;

import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.data.DataSource;
import dev.verdant.data.Dataset;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.NamedDataset;
import dev.verdant.data.Part;
import dev.verdant.data.SystemData;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdant data}: what a {@code --data} value resolves to, with its parts, sample shape and classes; with no
 * value, which named datasets ship with Verdant and which need a package, and whether this machine has them.
 */
@Command(
        name = "data",
        header = "Load a dataset the way --data does and show what it holds, or list the named datasets.",
        mixinStandardHelpOptions = true,
        description = {"Resolve a dataset the way --data does, load it, and report its parts, sample shape and class "
                + "counts.",
                "With no DATA, list the named datasets: which ship with Verdant, which need a package (and which "
                + "package), and whether this machine has them. VERDANT_SYSTEM_DATA=off hides every package."})
public final class DataCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATA", description = "A dataset name, folder or file.")
    String data;

    /**
     * What {@code verdant data} reports.
     *
     * @param name        the dataset's name
     * @param description where it comes from
     * @param note        how the name was resolved, when it matters (for example a fallback); else null
     * @param sha256      SHA-256 over the names and bytes of the files it reads
     * @param classNames  the class names, indexed by label
     * @param parts       one entry per predefined part, or one ({@code all}) when it comes as one set
     */
    record DataSummary(String name, String description, String note, String sha256, List<String> classNames,
                       List<PartSummary> parts) {
    }

    /**
     * One part of a dataset.
     *
     * @param part        {@code train}, {@code test} or {@code all}
     * @param samples     how many samples
     * @param sampleShape one sample's shape (empty for texts)
     * @param classCounts samples per class, indexed by label
     */
    record PartSummary(String part, int samples, long[] sampleShape, int[] classCounts) {
    }

    /**
     * One named dataset in the listing.
     *
     * @param name         what {@code --data} takes
     * @param summary      what it holds
     * @param shipsWithVerdant whether it ships with Verdant (no package needed)
     * @param needs        the package that brings it, or null when it ships with Verdant
     * @param install      how to install that package, or null
     * @param installed    whether this machine has it
     * @param availability what {@code --data NAME} reads here, in a few words
     */
    record ListedDataset(String name, String summary, boolean shipsWithVerdant, String needs, String install,
                         boolean installed, String availability) {
    }

    @Override
    public Integer call() {
        if (data == null) {
            return list();
        }
        DataSource<?> source = Datasets.resolve(data);
        List<PartSummary> parts = new ArrayList<>();
        List<String> classNames = List.of();
        if (source.parts().isEmpty()) {
            Dataset<?> all = source.loadAll();
            classNames = all.classNames();
            parts.add(summarize("all", all));
        } else {
            for (Part part : Part.values()) {
                if (source.parts().contains(part)) {
                    Dataset<?> loaded = source.load(part);
                    classNames = loaded.classNames();
                    parts.add(summarize(part.label(), loaded));
                }
            }
        }
        DataSummary summary = new DataSummary(source.name(), source.description(), source.note().orElse(null),
                source.sha256(), classNames, parts);
        output.print(summary, out -> printTable(out, summary));
        return ExitCode.OK;
    }

    private int list() {
        List<ListedDataset> listed = NamedDataset.ALL.stream().map(d -> new ListedDataset(d.name(), d.summary(),
                d.shipsWithVerdant(), d.needs().map(SystemData::source).orElse(null),
                d.needs().map(SystemData::howToGet).orElse(null), d.installed(), d.availability())).toList();
        output.print(listed, out -> printList(out, listed));
        return ExitCode.OK;
    }

    private static void printList(PrintWriter out, List<ListedDataset> listed) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "what", "comes from", "on this machine"});
        for (ListedDataset d : listed) {
            String here = d.installed() || d.install() == null ? d.availability()
                    : d.availability() + " (" + d.install() + ")";
            rows.add(new String[] {d.name(), d.summary(), d.needs() == null ? "ships with Verdant" : d.needs(), here});
        }
        int[] widths = new int[3];
        for (String[] cells : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], cells[c].length());
            }
        }
        for (String[] cells : rows) {
            out.printf(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s%n",
                    (Object[]) cells);
        }
        out.printf(Locale.ROOT, "%nAlso: a folder of IDX files or MNIST digits json, a .csv file (file.csv#label), "
                + "a .tsv/.txt file of label<TAB>text lines. 'verdant data NAME' shows what a value holds.%n");
    }

    private static PartSummary summarize(String part, Dataset<?> dataset) {
        long[] shape = dataset instanceof FeatureDataset<?> features ? features.sampleShape() : new long[0];
        return new PartSummary(part, dataset.size(), shape, dataset.classHistogram());
    }

    private static void printTable(PrintWriter out, DataSummary s) {
        out.printf(Locale.ROOT, "Dataset  %s%n", s.name());
        out.printf(Locale.ROOT, "Source   %s%n", s.description());
        out.printf(Locale.ROOT, "SHA-256  %s%n", s.sha256());
        if (s.note() != null) {
            out.printf(Locale.ROOT, "Note     %s%n", s.note());
        }
        for (PartSummary part : s.parts()) {
            String shape = part.sampleShape().length == 0 ? "texts"
                    : "samples of " + String.join("x", Arrays.stream(part.sampleShape()).mapToObj(Long::toString).toList());
            out.printf(Locale.ROOT, "%-8s %,d %s%n", part.part(), part.samples(), shape);
        }
        int width = Math.max(5, s.classNames().stream().mapToInt(String::length).max().orElse(5));
        out.printf(Locale.ROOT, "%n%5s  %-" + width + "s", "label", "class");
        for (PartSummary part : s.parts()) {
            out.printf(Locale.ROOT, "  %8s", part.part());
        }
        out.println();
        for (int label = 0; label < s.classNames().size(); label++) {
            out.printf(Locale.ROOT, "%5d  %-" + width + "s", label, s.classNames().get(label));
            for (PartSummary part : s.parts()) {
                out.printf(Locale.ROOT, "  %,8d", part.classCounts()[label]);
            }
            out.println();
        }
    }
}
