package io.sluice.config;

import java.util.function.LongFunction;

/**
 * An inclusive range for a numeric setting (a count, a byte size, or a duration in milliseconds) and the words
 * used when a value falls outside it, e.g. {@code "is below the minimum of 512 (RFC 5321 4.5.3.1.4)"}.
 * Immutable.
 *
 * @param min   smallest allowed value
 * @param max   largest allowed value
 * @param below problem text when the value is below {@code min}; the raw value is put in front of it
 * @param above problem text when the value is above {@code max}
 */
record Limits(long min, long max, String below, String above) {

    /** TCP ports. */
    static final Limits PORT = new Limits(1, 65535, "is not a port (1-65535)", "is not a port (1-65535)");

    /** Counts from 1 to {@link Integer#MAX_VALUE}. */
    static final Limits POSITIVE_INT = range(1, Integer.MAX_VALUE, Long::toString);

    /** {@code min..max}, both shown with {@code show} (e.g. {@code DataSizes::format}). */
    static Limits range(long min, long max, LongFunction<String> show) {
        return new Limits(min, max, "is below the minimum of " + show.apply(min),
                "is above the maximum of " + show.apply(max));
    }

    /** The same range with a reason after the minimum, e.g. the RFC that sets it. */
    Limits minimumBecause(String reason) {
        return new Limits(min, max, below + " (" + reason + ")", above);
    }

    /** The problem text for {@code value}, or null when it is within range. */
    String check(long value, String raw) {
        if (value < min) {
            return raw + " " + below;
        }
        if (value > max) {
            return raw + " " + above;
        }
        return null;
    }
}
