package org.infodyn.engine.output;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads {@code metrics.csv}. While a run is going, rows are appended to
 * {@code metrics.csv.partial} (flushed at every probe point, so progress can be watched); when the
 * run ends the file is renamed to {@code metrics.csv}, so that name only ever holds a finished
 * file.
 *
 * <p>Numbers are plain decimals (no exponent), the shortest text that reads back to the same
 * double. A non-finite value is written as an empty field: never as a number.
 */
public final class MetricsCsv implements AutoCloseable {
    /** Final file name. */
    public static final String FILE = "metrics.csv";
    /** Name while the run is going. */
    public static final String PARTIAL = "metrics.csv.partial";

    private final Path dir;
    private final BufferedWriter out;
    private boolean finished;

    /** Starts {@code dir/metrics.csv.partial} with the header. */
    public MetricsCsv(Path dir) throws IOException {
        this.dir = dir;
        this.out = Files.newBufferedWriter(dir.resolve(PARTIAL), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        out.write(MetricRow.HEADER);
        out.write('\n');
    }

    /** Appends rows and flushes. */
    public void append(List<MetricRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (MetricRow r : rows) {
            sb.append(csv(r.runId())).append(',').append(csv(r.backend())).append(',').append(r.seed()).append(',')
                    .append(r.phase()).append(',').append(decimal(r.epoch())).append(',').append(r.step()).append(',')
                    .append(csv(r.layer())).append(',').append(csv(r.variable())).append(',').append(csv(r.probe()))
                    .append(',').append(csv(r.metric())).append(',').append(decimal(r.value())).append('\n');
        }
        out.write(sb.toString());
        out.flush();
    }

    /** Closes the partial file and renames it to {@code metrics.csv}. */
    public void finish() throws IOException {
        out.close();
        AtomicFiles.moveIntoPlace(dir.resolve(PARTIAL), dir.resolve(FILE));
        finished = true;
    }

    /** Closes without renaming (the partial file stays, marked as such by its name). */
    @Override
    public void close() throws IOException {
        if (!finished) {
            out.close();
        }
    }

    /** A double as a plain decimal: the shortest round-trip text, without exponent; empty if non-finite. */
    public static String decimal(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        String s = Double.toString(v);
        if (s.indexOf('E') < 0) {
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        return new BigDecimal(s).stripTrailingZeros().toPlainString();
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Reads a metrics file written by this class (for reports and tests). */
    public static List<MetricRow> read(Path file) throws IOException {
        List<MetricRow> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!MetricRow.HEADER.equals(header)) {
                throw new IOException(file + ": not an infodyn metrics file (header " + header + ")");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                List<String> f = split(line);
                if (f.size() != 11) {
                    throw new IOException(file + ":" + lineNo + ": expected 11 fields, found " + f.size());
                }
                try {
                    rows.add(new MetricRow(f.get(0), f.get(1), Long.parseLong(f.get(2)), Integer.parseInt(f.get(3)),
                            Double.parseDouble(f.get(4)), Long.parseLong(f.get(5)), f.get(6), f.get(7), f.get(8), f.get(9),
                            f.get(10).isEmpty() ? Double.NaN : Double.parseDouble(f.get(10))));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNo + ": bad number: " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
