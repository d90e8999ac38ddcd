package org.infodyn.engine.output;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON for infodyn's output files: plain maps and lists, stable key order, pretty for files. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    /** Pretty JSON text of a tree of maps, lists and scalars. */
    public static String pretty(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + tree.getClass(), e);
        }
    }

    /** One-line JSON (for {@code events.jsonl}). */
    public static String line(Object tree) {
        try {
            return COMPACT.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + tree.getClass(), e);
        }
    }

    /** Reads a JSON object file into a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), Map.class);
    }

    /** Atomically writes a tree as pretty JSON. */
    public static void write(Path file, Object tree) throws IOException {
        AtomicFiles.writeString(file, pretty(tree));
    }
}
