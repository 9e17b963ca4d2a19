package dev.verdant.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one record a measuring command ends in: what every run shares (its kind, the schema version, the run, the
 * machine, how energy was obtained, notes) once, and a typed part for what the command found: {@link Compression}
 * for {@code verdant compress}, {@link Benchmark} for {@code verdant bench}, {@link Search} for
 * {@code verdant optimize}, {@link Tracked} for {@code verdant track}. Its JSON form is documented in
 * {@code docs/report-format.md}; {@link ReportJson} reads it (and the files of schema 1) and {@link ReportView} turns
 * it into the HTML page's {@link Report}.
 *
 * @param kind          {@value #COMPRESS}, {@value #BENCH}, {@value #OPTIMIZE} or {@value #TRACK}: which part it carries
 * @param schemaVersion {@value #SCHEMA_VERSION}; raised when a field changes meaning
 * @param run           what produced it
 * @param machine       where it ran, or null when the command does not record it (compress)
 * @param energy        how energy and emissions were obtained, or null when the command does not record it
 * @param notes         anything that shapes how the figures should be read
 * @param compression   what a compress run did, for kind {@value #COMPRESS}
 * @param bench         what a bench run measured, for kind {@value #BENCH}
 * @param search        what an optimize search found, for kind {@value #OPTIMIZE}
 * @param tracked       what a tracked command used, for kind {@value #TRACK}
 */
public record Result(String kind, int schemaVersion, RunInfo run, Machine machine, EnergyBasis energy,
                     List<String> notes, @JsonInclude(JsonInclude.Include.NON_NULL) Compression compression,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Benchmark bench,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Search search,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Tracked tracked) {

    /** The kind of a {@code verdant compress} result. */
    public static final String COMPRESS = "compress";
    /** The kind of a {@code verdant bench} result. */
    public static final String BENCH = "bench";
    /** The kind of a {@code verdant optimize} result. */
    public static final String OPTIMIZE = "optimize";
    /** The kind of a {@code verdant track} result. */
    public static final String TRACK = "track";
    /**
     * The schema version this code writes: 2 put the run, machine and energy basis in shared records and the
     * command's own figures in a part (schema 1 kept them at the top level; it is still read).
     */
    public static final int SCHEMA_VERSION = 2;

    public Result {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A compress run's result. */
    public static Result of(RunInfo run, Compression compression) {
        return new Result(COMPRESS, SCHEMA_VERSION, run, null, null, List.of(),
                Objects.requireNonNull(compression, "compression"), null, null, null);
    }

    /** A bench run's result. */
    public static Result of(RunInfo run, Machine machine, EnergyBasis energy, List<String> notes, Benchmark bench) {
        return new Result(BENCH, SCHEMA_VERSION, run, machine, energy, notes, null,
                Objects.requireNonNull(bench, "bench"), null, null);
    }

    /** An optimize search's result. */
    public static Result of(RunInfo run, Machine machine, EnergyBasis energy, List<String> notes, Search search) {
        return new Result(OPTIMIZE, SCHEMA_VERSION, run, machine, energy, notes, null, null,
                Objects.requireNonNull(search, "search"), null);
    }

    /** A tracked command's result. */
    public static Result of(RunInfo run, Machine machine, EnergyBasis energy, List<String> notes, Tracked tracked) {
        return new Result(TRACK, SCHEMA_VERSION, run, machine, energy, notes, null, null, null,
                Objects.requireNonNull(tracked, "tracked"));
    }

    /** The same result recording the options its command ran with ({@link RunInfo#config}). */
    public Result withConfig(Map<String, Object> config) {
        return new Result(kind, schemaVersion, run.withConfig(config), machine, energy, notes, compression, bench,
                search, tracked);
    }

    /** The same result recording the command line that produced it. */
    public Result withCommand(String commandLine) {
        return new Result(kind, schemaVersion, run.withCommand(commandLine), machine, energy, notes, compression,
                bench, search, tracked);
    }
}
