package io.sluice.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names that parts of the config give each other (listeners, sources, pools, smarthosts, routes, lanes): their
 * syntax, and uniqueness within one kind. A name is 1-64 of letters, digits, {@code .}, {@code _}, {@code -},
 * starting with a letter or digit, so it is safe in logs, metric labels and CLI output. Stateless.
 */
final class ConfigName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A named element as read, with its mapping for reporting. */
    record Named(String name, YamlMapping mapping) {
    }

    private ConfigName() {
    }

    /** {@code raw} when it is a valid name; else throws {@link IllegalArgumentException} saying why. */
    static String parse(String raw) {
        if (!isValid(raw)) {
            throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                    + " is not a valid name (letters, digits, '.', '_', '-'; at most 64)");
        }
        return raw;
    }

    static boolean isValid(String raw) {
        return NAME.matcher(raw).matches();
    }

    /** The required {@code name} key of {@code m}, or null (reported) when absent or invalid. */
    static String required(YamlMapping m, String what) {
        String name = m.read("name", null, ConfigName::parse);
        if (name == null && !m.failed("name")) {
            m.error("name", "required (" + what + ")");
        }
        return name;
    }

    /** Reports each name that an earlier element already has, at the later element's {@code name}. */
    static void requireUnique(List<Named> named) {
        for (int i = 1; i < named.size(); i++) {
            Named later = named.get(i);
            if (later.name() == null) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                Named earlier = named.get(j);
                if (later.name().equals(earlier.name())) {
                    later.mapping().error("name", later.name() + " is already the name of "
                            + earlier.mapping().path() + " (line " + earlier.mapping().line() + ")");
                    break;
                }
            }
        }
    }
}
