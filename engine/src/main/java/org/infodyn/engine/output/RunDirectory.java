package org.infodyn.engine.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.ConfigException;

/**
 * One run's directory: {@code manifest.json} (provenance and status, replaced atomically),
 * {@code metrics.csv} (see {@link MetricsCsv}), {@code events.jsonl} (one JSON object per line,
 * appended whole and flushed) and {@code checkpoints/}.
 */
public final class RunDirectory implements AutoCloseable {
    /** Manifest file name. */
    public static final String MANIFEST = "manifest.json";
    /** Event log file name. */
    public static final String EVENTS = "events.jsonl";
    /** Checkpoint folder name. */
    public static final String CHECKPOINTS = "checkpoints";

    private final Path dir;
    private final BufferedWriter events;

    private RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve(CHECKPOINTS));
        this.events = Files.newBufferedWriter(dir.resolve(EVENTS), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /**
     * Makes sure runs can be written under {@code parent}, leaving nothing behind: it is a
     * directory or can become one, and {@code runIds} do not exist there yet. To prove it, the
     * missing folders are created, a file is written and removed there, and the folders are
     * removed again.
     *
     * @throws ConfigException naming the path and the problem
     */
    public static void checkWritable(Path parent, Iterable<String> runIds) {
        Path p = parent.toAbsolutePath();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new ConfigException("output directory " + parent + " is a file; choose a directory with --out");
        }
        for (String id : runIds) {
            Path run = p.resolve(id);
            if (Files.exists(run) && !isEmptyDir(run)) {
                throw new ConfigException("run directory " + parent.resolve(id) + " already exists and is not empty;"
                        + " choose another --out or remove it (nothing was overwritten)");
            }
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path d = p; d != null && !Files.exists(d); d = d.getParent()) {
                created.add(0, d);
            }
            for (Path d : created) {
                Files.createDirectory(d);
            }
            Files.delete(Files.createTempFile(p, ".infodyn-write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new ConfigException("output directory " + parent + " cannot be written: " + reason(e) + "; choose another --out", e);
        } finally {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(created.get(i));
                } catch (IOException ignored) {
                    // not ours to worry about: it was empty, and the check's verdict stands
                }
            }
        }
    }

    /** An I/O error's reason in words: the file system's own message, or the kind of error. */
    private static String reason(Exception e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static boolean isEmptyDir(Path p) {
        try (var s = Files.list(p)) {
            return Files.isDirectory(p) && s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the run's directory {@code parent/runId} and opens its event log. */
    public static RunDirectory create(Path parent, String runId) throws IOException {
        return new RunDirectory(parent.resolve(runId));
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** Atomically (re)writes the manifest. */
    public void writeManifest(Map<String, Object> manifest) throws IOException {
        Json.write(dir.resolve(MANIFEST), manifest);
    }

    /** Appends one event line: {@code {"time": …, "event": name, …fields}}. */
    public synchronized void event(String name, Map<String, Object> fields) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("event", name);
        e.putAll(fields);
        events.write(Json.line(e) + "\n");
        events.flush();
    }

    /** Path of a checkpoint file. */
    public Path checkpoint(String name) {
        return dir.resolve(CHECKPOINTS).resolve(name);
    }

    @Override
    public synchronized void close() throws IOException {
        events.close();
    }

    /**
     * Whether {@code file}, inside the run directory {@code runDir}, is one a run writes: the
     * manifest, the event log, the metrics file (final or partial), a checkpoint, or the
     * temporary sibling of one of them (see {@link AtomicFiles}).
     */
    public static boolean isOwnFile(Path runDir, Path file) {
        Path rel = runDir.relativize(file);
        String name = rel.getFileName().toString();
        String plain = name.matches("\\..+\\.[0-9a-f]+\\.tmp") ? name.substring(1, name.lastIndexOf('.', name.length() - 5)) : name;
        if (rel.getNameCount() == 1) {
            return List.of(MANIFEST, EVENTS, MetricsCsv.FILE, MetricsCsv.PARTIAL, CHECKPOINTS).contains(plain);
        }
        return rel.getNameCount() == 2 && rel.getName(0).toString().equals(CHECKPOINTS) && plain.endsWith(".params");
    }
}
