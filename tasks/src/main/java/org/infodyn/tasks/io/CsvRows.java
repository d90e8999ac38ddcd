package org.infodyn.tasks.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.infodyn.api.config.ConfigException;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Streams the rows of a CSV file with a header line, one at a time, so that a file far larger
 * than the heap can be read in passes. Quoting follows RFC 4180 (Jackson's CSV parser: quoted
 * fields may hold separators and line breaks). Blank lines are skipped; a row with a different
 * number of fields than the header is an error that names the file and the line.
 */
public final class CsvRows implements Closeable {
    private final Path file;
    private final CsvParser parser;
    private final List<String> header;
    private long line;
    private long rows;

    private CsvRows(Path file, CsvParser parser, List<String> header) {
        this.file = file;
        this.parser = parser;
        this.header = header;
    }

    /**
     * Opens a file and reads its header.
     *
     * @param field the experiment field that named the file, for messages (e.g. {@code task.data})
     * @param separator the field separator
     * @throws ConfigException when the file cannot be read, is empty, or its header repeats or
     *     leaves out a column name
     */
    public static CsvRows open(String field, Path file, char separator) {
        try {
            InputStream in = Files.newInputStream(file);
            CsvParser parser = new CsvFactory().createParser(in);
            parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator));
            CsvRows rows = new CsvRows(file, parser, List.of());
            List<String> header = rows.nextFields(field);
            if (header == null) {
                parser.close();
                throw new ConfigException(field, file + " is empty: expected a header line naming the columns");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).strip();
                if (name.isEmpty()) {
                    parser.close();
                    throw new ConfigException(field, file + " line 1: column " + (i + 1) + " has no name in the header");
                }
                if (!seen.add(name)) {
                    parser.close();
                    throw new ConfigException(field, file + " line 1: column '" + name + "' appears twice in the header");
                }
                header.set(i, name);
            }
            CsvRows opened = new CsvRows(file, parser, List.copyOf(header));
            opened.line = rows.line;
            return opened;
        } catch (IOException e) {
            throw new ConfigException(field + ": cannot read " + file + ": " + describe(e), e);
        }
    }

    /** The column names, in file order. */
    public List<String> header() {
        return header;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The line on which the last row returned by {@link #next} started (1 = the header). */
    public long line() {
        return line;
    }

    /** Data rows returned so far. */
    public long rows() {
        return rows;
    }

    /**
     * The next data row, its fields as written (not trimmed), or null at the end of the file.
     *
     * @throws ConfigException for a row whose field count differs from the header's, or bad CSV
     *     (an unclosed quote)
     */
    public List<String> next(String field) {
        List<String> fields = nextFields(field);
        if (fields == null) {
            return null;
        }
        if (fields.size() != header.size()) {
            throw new ConfigException(field, file + " line " + line + ": " + fields.size() + (fields.size() == 1 ? " field" : " fields")
                    + ", but the header has " + header.size() + " columns");
        }
        rows++;
        return fields;
    }

    private List<String> nextFields(String field) {
        List<String> fields;
        do {
            fields = rawFields(field);
        } while (fields != null && fields.size() == 1 && fields.get(0).isBlank()); // a blank line
        return fields;
    }

    private List<String> rawFields(String field) {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new ConfigException(field, file + " line " + parser.currentLocation().getLineNr() + ": not a CSV row");
            }
            line = parser.currentLocation().getLineNr();
            List<String> fields = new ArrayList<>();
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new ConfigException(field, file + " line " + line + ": the file ends inside a row (an unclosed quote?)");
                }
                fields.add(parser.getText());
            }
            return fields;
        } catch (IOException e) {
            throw new ConfigException(field + ": " + file + " line " + parser.currentLocation().getLineNr() + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl); // Jackson appends the source location on a second line
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // reading is over; nothing to lose
        }
    }
}
