package io.sluice.suppression;

import java.util.Locale;
import java.util.function.Function;

/** Finding an enum constant by the label the CLI, CSV and log use: case-insensitive, '_' read as '-'. */
final class Labels {
    private Labels() {
    }

    /** The constant of {@code values} whose {@code label} is {@code name}, or null. */
    static <E> E byLabel(E[] values, Function<E, String> label, String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E e : values) {
            if (label.apply(e).equals(n)) {
                return e;
            }
        }
        return null;
    }

    /** The constant whose code (its position) is {@code code}, or null. */
    static <E> E byCode(E[] values, int code) {
        return code >= 0 && code < values.length ? values[code] : null;
    }
}
