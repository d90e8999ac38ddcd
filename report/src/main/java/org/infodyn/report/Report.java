package org.infodyn.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.AtomicFiles;
import org.infodyn.engine.summary.Summaries;

/**
 * Writes the aggregate outputs of a directory of runs: the engine's summaries ({@code summary.csv},
 * {@code summary.json}, {@code extremes.csv}), {@code figures/*.svg} and the self-contained
 * {@code report.html}. A pure function of the files on disk, so {@code infodyn report DIR}
 * regenerates it at any time.
 */
public final class Report {
    /** The report's file name. */
    public static final String FILE = "report.html";
    /** The training metrics drawn in the report, with their axis labels. */
    static final Map<String, String> TRAINING = Map.of("heldout_accuracy", "held-out accuracy", "loss", "training loss (nats)");

    private Report() {
    }

    /**
     * What was written.
     *
     * @param summaries the aggregates the report draws
     * @param figures figure files written
     */
    public record Result(Summaries summaries, List<Path> figures) {
        /** A few lines for the console. */
        public String overview() {
            return summaries.overview();
        }
    }

    /** Reads {@code dir}'s runs and writes its summaries, figures and report. */
    public static Result write(Path dir) throws IOException {
        Summaries s = Summaries.write(dir);
        Figures figures = Figures.of(s.runs(), s.rows());
        Path figDir = dir.resolve("figures");
        Files.createDirectories(figDir);
        List<Path> written = new ArrayList<>();
        for (Figures.Figure f : figures.all()) {
            Path p = figDir.resolve(f.file());
            AtomicFiles.writeString(p, f.svg());
            written.add(p);
        }
        AtomicFiles.writeString(dir.resolve(FILE), HtmlReport.render(dir, s.runs(), s.rows(), s.extremes(), figures));
        return new Result(s, written);
    }
}
