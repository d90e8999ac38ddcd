package org.infodyn.engine.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Turns experiment text (YAML, or JSON for files ending in {@code .json}) into a tree of plain
 * Java values: mutable maps and lists, {@code Long} and {@code Double} numbers. Syntax errors
 * become one-line messages with the file, line and column. Nothing here knows what an
 * experiment's fields mean: that is {@link ExperimentBinder}'s.
 */
public final class ExperimentParser {
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ExperimentParser() {
    }

    /** Parses YAML or JSON text into a tree of plain Java values; {@code origin} names it in messages. */
    public static Map<String, Object> parse(String text, String origin, boolean json) {
        Object tree;
        try {
            tree = plain((json ? JSON : YAML).readValue(text, Object.class));
        } catch (MismatchedInputException e) {
            if (text.isBlank() || e.getOriginalMessage().startsWith("No content to map")) {
                throw new ConfigException(origin + ": the file holds no fields (only blanks or comments); an experiment needs at least a "
                        + "task and training phases", e);
            }
            throw syntax(e, origin, json);
        } catch (JsonProcessingException e) {
            throw syntax(e, origin, json);
        }
        if (tree == null) {
            throw new ConfigException(origin + ": the file is empty; an experiment needs at least a task and a model");
        }
        if (!(tree instanceof Map)) {
            throw new ConfigException(origin + ": expected a mapping of fields at the top, got " + Params.describe(tree));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        return map;
    }

    private static ConfigException syntax(JsonProcessingException e, String origin, boolean json) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? origin : origin + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
        return new ConfigException(where + ": " + (json ? "JSON" : "YAML") + " syntax error: " + oneLine(e.getOriginalMessage()), e);
    }

    /**
     * The parser's message on one line: SnakeYAML adds the offending source line and a caret
     * under it ("in 'reader', line 1, column 7:"); the location is already in our prefix.
     */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("in 'reader'")) {
                i += 2; // skip the quoted source line and the caret line that follow
                continue;
            }
            if (l.isEmpty() || l.startsWith("at [Source")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(l);
        }
        return sb.toString();
    }

    /**
     * Reads and parses an experiment file. Refused before parsing: a file over
     * {@value #MAX_FILE_BYTES} bytes (an experiment is a page of text; a parser given megabytes of
     * it takes minutes and gigabytes), a file that is not UTF-8 text, and a YAML file indented
     * with tabs.
     */
    static Map<String, Object> parseFile(Path file) {
        return parseText(readText(file), file.toString());
    }

    /**
     * Reads an experiment file's text, refusing what {@link #parseFile} refuses before parsing: a
     * directory, a missing or unreadable file, one over {@value #MAX_FILE_BYTES} bytes, one that is
     * not UTF-8 text.
     */
    static String readText(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("experiment file " + file + " is a directory");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException("experiment file " + file + " has " + size + " bytes; an experiment file may have at most "
                        + MAX_FILE_BYTES + " (1 MiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("experiment file not found: " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read experiment file " + file + ": " + e.getMessage(), e);
        }
        return text(bytes, file.toString());
    }

    /** Parses the text of a file named {@code origin}: JSON when the name ends in {@code .json}, else YAML. */
    static Map<String, Object> parseText(String text, String origin) {
        boolean json = origin.endsWith(".json");
        if (!json) {
            checkIndentation(text, origin);
        }
        return parse(text, origin, json);
    }

    /** The largest experiment file read. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    /** Decodes UTF-8 strictly: a file that is not text is refused as such, naming the first bad byte. */
    private static String text(byte[] bytes, String origin) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = utf8.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(origin + " is not UTF-8 text (byte 0x" + String.format("%02x", bytes[in.position()] & 0xff)
                    + " at offset " + in.position() + "); an experiment file is YAML or JSON text", e);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                int line = (int) text.substring(0, i).chars().filter(ch -> ch == '\n').count() + 1;
                throw new ConfigException(origin + ":" + line + ": control character U+" + String.format("%04X", (int) c)
                        + " in the text: this is not a YAML or JSON file");
            }
        }
        return text;
    }

    /**
     * YAML indents with spaces only. SnakeYAML reports a tab in the indentation at the end of the
     * previous line, so it is found here, at its own line and column.
     */
    private static void checkIndentation(String text, String origin) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int col = 0;
            while (col < l.length() && (l.charAt(col) == ' ' || l.charAt(col) == '\t')) {
                if (l.charAt(col) == '\t' && col + 1 < l.length() && l.substring(col).strip().length() > 0
                        && !l.substring(col).strip().startsWith("#")) {
                    throw new ConfigException(origin + ":" + (i + 1) + ":" + (col + 1)
                            + ": YAML syntax error: a tab in the indentation; YAML indents with spaces");
                }
                col++;
            }
        }
    }

    /** Reads a {@code --set} value as YAML (so {@code 0.05} is a number, {@code [1,2]} a list); falls back to the text. */
    public static Object parseValue(String text) {
        if (text.isEmpty()) {
            return "";
        }
        try {
            Object v = plain(YAML.readValue(text, Object.class));
            return v == null ? text : v;
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** Deep-copies a parsed tree into mutable maps/lists with Long/Double numbers. */
    @SuppressWarnings("unchecked")
    static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 63 ? (Object) b.longValue() : b.doubleValue();
        }
        if (v instanceof Float || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /** The file name without its extension: the experiment's default name. */
    static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    }
}
