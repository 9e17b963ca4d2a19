package dev.verdant.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verdant's one CSV reader: the data sets' tables, the energy module's tables of published figures and the forecast
 * files all read their rows with it. One record a line, fields split by jackson-dataformat-csv (double quotes around
 * a field that holds the separator, {@code ""} for a quote inside, spaces around a field trimmed); blank lines are
 * skipped, and so are {@code #} lines when the format has comments. Every row comes with its line number in the
 * file, so that each format's messages can name the file and the line.
 *
 * <p>A quoted field cannot span lines: each line is one record, which keeps line numbers exact and a stray quote
 * from swallowing the rest of the file.
 */
public final class CsvReader {

    /** The separators a header may use, when the reader is told to find it: comma, semicolon, tab. */
    private static final char[] SEPARATORS = {',', ';', '\t'};

    /** Receives one row. */
    @FunctionalInterface
    public interface RowHandler {
        /**
         * @param line   the row's line number in the file, from 1
         * @param fields the row's fields, unquoted
         */
        void row(int line, List<String> fields) throws IOException;
    }

    /**
     * The streaming parser's factory alone, not a {@code CsvMapper}: rows are read token by token, and a mapper would
     * load Jackson's whole data-binding layer (over 300 more classes, about 80 ms of CPU in a fresh JVM) for nothing;
     * the energy tracker reads its fact tables with this reader when a run starts.
     */
    private final CsvFactory factory;
    private final char separator;
    private final boolean detectSeparator;
    private final boolean comments;

    private CsvReader(char separator, boolean detectSeparator, boolean comments) {
        this.factory = CsvFactory.builder().enable(CsvParser.Feature.TRIM_SPACES).build();
        this.separator = separator;
        this.detectSeparator = detectSeparator;
        this.comments = comments;
    }

    /** Comma-separated fields, no comment lines. */
    public static CsvReader commaSeparated() {
        return new CsvReader(',', false, false);
    }

    /** Fields separated by whichever of comma, semicolon or tab the first row uses most (outside quotes). */
    public static CsvReader separatorFromHeader() {
        return new CsvReader(',', true, false);
    }

    /** The same format, where lines starting with {@code #} are comments. */
    public CsvReader withComments() {
        return new CsvReader(separator, detectSeparator, true);
    }

    /**
     * Reads every row of {@code in}, in order, skipping blank (and comment) lines.
     *
     * @throws CsvSyntaxException naming the line when a row is not valid CSV
     * @throws IOException        when {@code in} cannot be read, or as {@code handler} throws
     */
    public void read(BufferedReader in, RowHandler handler) throws IOException {
        CsvSchema schema = null;
        String line;
        int lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank() || (comments && line.startsWith("#"))) {
                continue;
            }
            if (schema == null) {
                schema = CsvSchema.emptySchema().withColumnSeparator(detectSeparator ? separatorOf(line) : separator);
            }
            handler.row(lineNumber, fields(line, lineNumber, schema));
        }
    }

    /**
     * The fields of one line on its own (line 1 in a message), in this format (the separator found in the line
     * itself, when this reader finds it from the header).
     */
    public List<String> fields(String line) throws CsvSyntaxException {
        return fields(line, 1, CsvSchema.emptySchema().withColumnSeparator(detectSeparator ? separatorOf(line) : separator));
    }

    private List<String> fields(String line, int lineNumber, CsvSchema schema) throws CsvSyntaxException {
        List<String> fields = new ArrayList<>();
        try (CsvParser parser = factory.createParser(line)) {
            parser.setSchema(schema);
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    fields.add(parser.getText());
                }
            }
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().startsWith("Missing closing quote")
                    ? "a quoted field is not closed (fields spanning lines are not supported)"
                    : "not valid CSV: " + e.getOriginalMessage();
            throw new CsvSyntaxException(lineNumber, problem, e);
        } catch (IOException e) {
            throw new CsvSyntaxException(lineNumber, "not valid CSV: " + e.getMessage(), e);
        }
        return fields;
    }

    /** The separator {@code headerLine} uses most, outside quotes: comma (also when it has none), semicolon or tab. */
    public static char separatorOf(String headerLine) {
        char best = ',';
        int bestCount = 0;
        for (char candidate : SEPARATORS) {
            int count = 0;
            boolean quoted = false;
            for (int i = 0; i < headerLine.length(); i++) {
                char c = headerLine.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == candidate && !quoted) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }
}
