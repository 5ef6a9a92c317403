package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON-lines event log (docs/events.md) for assertions. The log writes flat objects (string, number and
 * one string-array field), so a field is found with a regex instead of a JSON parser.
 *
 * <p>Read it after the daemon shut down (which flushes the file) or accept that the last lines may be missing.
 */
public final class EventLines {
    /** One event; absent fields are null, {@code attempt} and {@code code} are 0 when absent. */
    public record Event(String type, String time, String id, String recipient, String mx, int attempt, int code,
                        String line) {
    }

    private EventLines() {
    }

    /** Every event of the file, in file order; empty when the file does not exist. */
    public static List<Event> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(EventLines::parse).toList();
    }

    public static Event parse(String line) {
        return new Event(field(line, "type"), field(line, "time"), field(line, "id"), field(line, "recipient"),
                field(line, "mx"), number(line, "attempt"), number(line, "code"), line);
    }

    /** A top-level string or number field of one line, null when absent. */
    public static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))").matcher(line);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static int number(String line, String name) {
        String v = field(line, name);
        return v == null ? 0 : Integer.parseInt(v);
    }
}
