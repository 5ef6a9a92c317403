package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /admin/reload} as the CLI reads it:
 * {@code {"applied":true|false,"errors":[...],"requiresRestart":[...]}}, parsed with the CLI's {@link JsonReader}
 * and then held to exactly that shape (other members are ignored, so a newer daemon may add some): the CLI must not
 * print a half-understood answer as if it were the outcome. Immutable result.
 *
 * @param applied         the daemon applied the file
 * @param errors          the file's errors, {@code <file>:<line>: <key>: <problem>}
 * @param requiresRestart keys that need a restart
 */
record ReloadReply(boolean applied, List<String> errors, List<String> requiresRestart) {

    /** @throws IllegalArgumentException when the text is not JSON or not the reply's shape */
    static ReloadReply parse(String json) {
        if (!(JsonReader.parse(json) instanceof Map<?, ?> reply)) {
            throw new IllegalArgumentException("reload answer is not a JSON object");
        }
        if (!(reply.get("applied") instanceof Boolean applied)) {
            throw new IllegalArgumentException("reload answer has no boolean \"applied\"");
        }
        return new ReloadReply(applied, strings(reply, "errors"), strings(reply, "requiresRestart"));
    }

    /** The member as a list of strings; absent means empty. */
    private static List<String> strings(Map<?, ?> reply, String name) {
        Object value = reply.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("reload answer's \"" + name + "\" is not an array");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException("reload answer's \"" + name + "\" holds a non-string");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
