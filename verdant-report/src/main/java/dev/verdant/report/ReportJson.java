package dev.verdant.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdant.io.InputFiles;
import dev.verdant.io.Json;
import dev.verdant.io.MessageText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes results files ({@code docs/report-format.md}) as typed records: a {@link Result} of kind
 * {@code compress}, {@code bench}, {@code optimize} or {@code track} (schema 2, and the schema-1 files written before it: bench files with their
 * figures at the top level, compress records with or without a kind), or a native {@link Report}
 * ({@code kind = "report"}, schemas 1 and 2). Keys are snake_case.
 */
public final class ReportJson {

    /** The {@code kind} of a {@code verdant compress} record (also recognized by its keys when it has no kind). */
    public static final String COMPRESS_KIND = Result.COMPRESS;

    private ReportJson() {
    }

    /** The report as JSON text. */
    public static String write(Report report) {
        return Json.write(report);
    }

    /** The result as JSON text. */
    public static String write(Result result) {
        return Json.write(result);
    }

    /**
     * Reads a results file of any kind this class knows, as the report the page shows.
     *
     * @throws IllegalArgumentException with one line when the file is missing, not JSON, or of an unknown kind
     */
    public static Report read(Path file) {
        InputFiles.problem(file, "a results JSON file").ifPresent(why -> {
            throw new IllegalArgumentException("results file: " + why);
        });
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such results file: " + file, e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text, so not a results JSON file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses results JSON of any kind as the report the page shows; {@code origin} names it in errors. */
    public static Report parse(String json, String origin) {
        JsonNode root = tree(json, origin);
        String kind = kindOf(root);
        return switch (kind) {
            case Report.KIND -> fromNative(root, origin);
            case Result.BENCH, Result.COMPRESS, Result.OPTIMIZE, Result.TRACK -> view(result(root, kind, origin), origin);
            default -> throw new IllegalArgumentException(origin + " has kind " + MessageText.quote(kind)
                    + "; a results file has kind "
                    + "\"report\", \"bench\", \"compress\", \"optimize\" or \"track\" (see docs/report-format.md)");
        };
    }

    /**
     * Parses a compress, bench, optimize or track results file (any schema) as a {@link Result}; {@code origin} names it in errors.
     *
     * @throws IllegalArgumentException with one line when it is not JSON or not of those kinds
     */
    public static Result parseResult(String json, String origin) {
        JsonNode root = tree(json, origin);
        String kind = kindOf(root);
        if (!kind.equals(Result.BENCH) && !kind.equals(Result.COMPRESS) && !kind.equals(Result.OPTIMIZE)
                && !kind.equals(Result.TRACK)) {
            throw new IllegalArgumentException(origin + " has kind " + MessageText.quote(kind) + "; a result has kind \"bench\", "
                    + "\"compress\", \"optimize\" or \"track\"");
        }
        return result(root, kind, origin);
    }

    /**
     * The page's report of a result that parsed. The result records take what the JSON holds, so a hand-edited or
     * cut file can lack a value the page is built from (a model's label, a point's candidate): that is bad input,
     * one line naming the file, not a NullPointerException. ReportView checks what it can name up front (an optimize
     * result's objective and points); this catches the rest.
     */
    private static Report view(Result result, String origin) {
        try {
            return ReportView.of(result, origin);
        } catch (NullPointerException | java.util.NoSuchElementException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(origin + " is an incomplete " + result.kind() + " result: a value the "
                    + "page is built from is missing or null", e);
        }
    }

    private static JsonNode tree(String json, String origin) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new IllegalArgumentException(origin + " is not valid JSON: "
                    + MessageText.oneLine(e.getOriginalMessage().lines().findFirst().orElse("")) + where, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(origin + " holds no JSON object");
        }
        JsonNode version = root.path("schema_version");
        if (!version.isMissingNode() && (!version.canConvertToInt() || version.asInt() < 1
                || version.asInt() > Result.SCHEMA_VERSION)) {
            throw new IllegalArgumentException(origin + " has schema_version " + version + "; this Verdant reads 1 to "
                    + Result.SCHEMA_VERSION + " (a newer Verdant wrote it, or it is not a results file)");
        }
        return root;
    }

    private static String kindOf(JsonNode root) {
        String kind = root.path("kind").asText("");
        if (kind.isEmpty() && root.has("recipe") && root.has("original") && root.has("compressed")) {
            // verdant compress records written before the kind existed carry none; their keys identify them
            return Result.COMPRESS;
        }
        return kind;
    }

    /** The result in {@code root}, lifting a schema-1 file (figures at the top level) into the schema-2 layout. */
    private static Result result(JsonNode root, String kind, String origin) {
        JsonNode current = root.path("schema_version").asInt(1) >= 2 ? root : lift((ObjectNode) root, kind);
        try {
            return Json.mapper().treeToValue(current, Result.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " does not match the " + kind + " result schema: "
                    + MessageText.oneLine(e.getOriginalMessage()), e);
        }
    }

    /**
     * A schema-1 file in the schema-2 layout: a compress record (every key its figures) becomes the compression
     * part; a bench file's run keys become the run, its settings, models, measurements and comparisons the bench part.
     */
    private static JsonNode lift(ObjectNode old, String kind) {
        ObjectNode lifted = Json.mapper().createObjectNode();
        lifted.put("kind", kind);
        lifted.put("schema_version", Result.SCHEMA_VERSION);
        ObjectNode run = lifted.putObject("run");
        if (kind.equals(Result.COMPRESS)) {
            run.put("tool", "verdant compress");
            lifted.set("compression", old);
            return lifted;
        }
        run.put("tool", "verdant bench");
        run.set("command", old.get("command"));
        run.set("started_at", old.get("started_at"));
        run.set("duration_seconds", old.get("duration_seconds"));
        run.set("inputs", old.path("settings").get("input_description"));
        lifted.set("machine", old.get("machine"));
        lifted.set("energy", old.get("energy"));
        lifted.set("notes", old.get("notes"));
        lifted.set("bench", old);
        return lifted;
    }

    private static Report fromNative(JsonNode root, String origin) {
        try {
            Report report = Json.mapper().treeToValue(root, Report.class);
            if (report.title() == null) {
                throw new IllegalArgumentException(origin + " has no title");
            }
            // schema 1 differs only in the machine's cpu key, read by its alias; what is written now is schema 2
            return new Report(report.kind(), Report.SCHEMA_VERSION, report.title(), report.run(), report.machine(),
                    report.models(), report.candidates(), report.layers(), report.card(), report.energy(),
                    report.findings(), report.notes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " does not match the report schema: "
                    + MessageText.oneLine(e.getOriginalMessage()), e);
        }
    }
}
