package io.sluice.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats durations as operators write them in config: a whole number and a unit, {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 2h}, {@code 5d}.
 *
 * <p>A unit is required: a bare {@code 300} could mean seconds or milliseconds, and guessing wrong turns a
 * five-minute timeout into 300 ms. {@code m} is minutes (there is no month unit). Stateless and thread-safe.
 *
 * <p>Failure: {@link IllegalArgumentException} whose message starts with the text and lists the allowed units.
 */
public final class Durations {

    /** The allowed units, as error messages list them. */
    public static final String UNITS = "ms, s, m, h or d";

    private static final Pattern FORMAT = Pattern.compile("(\\d+) ?(ms|s|m|h|d)");
    private static final Pattern NUMBER_ONLY = Pattern.compile("\\d+");

    private Durations() {
    }

    /** Parses e.g. {@code 30s}; throws {@link IllegalArgumentException} naming the allowed units. */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            if (NUMBER_ONLY.matcher(text).matches()) {
                throw new IllegalArgumentException(text + " has no unit (use " + UNITS + ", e.g. 30s)");
            }
            throw new IllegalArgumentException(
                    describe(text) + " is not a duration (a whole number with a unit: " + UNITS + ", e.g. 30s)");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofSeconds(Math.multiplyExact(amount, 60L));
                case "h" -> Duration.ofSeconds(Math.multiplyExact(amount, 3600L));
                default -> Duration.ofSeconds(Math.multiplyExact(amount, 86_400L));
            };
            d.toMillis(); // throws when callers could not hold it as milliseconds
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(text + " is too large");
        }
    }

    /**
     * The shortest exact text for a duration in the units {@link #parse} reads: {@code 5m}, {@code 90s},
     * {@code 1500ms}; {@code 0s} for zero. Durations with sub-millisecond parts use {@link Duration#toString()}.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static String describe(String text) {
        return text.isEmpty() ? "\"\"" : text;
    }
}
