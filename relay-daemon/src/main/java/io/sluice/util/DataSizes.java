package io.sluice.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats byte counts as operators write them in config: {@code 1000} (bytes), {@code 512KiB},
 * {@code 20MiB}, {@code 1GiB} (powers of 1024) or {@code 100MB} (powers of 1000).
 *
 * <p>Units are case-sensitive because {@code MB} and {@code Mb} (bits) differ; a missing unit means bytes. An
 * optional single space may separate number and unit. Stateless and thread-safe.
 *
 * <p>Failure: {@link IllegalArgumentException} whose message starts with the text and lists the allowed units.
 */
public final class DataSizes {

    /** The allowed units, as error messages list them. */
    public static final String UNITS = "B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)";

    private static final Pattern FORMAT = Pattern.compile("(\\d+) ?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
    private static final String[] BINARY_UNITS = {"TiB", "GiB", "MiB", "KiB"};

    private DataSizes() {
    }

    /** Parses e.g. {@code 20MiB} into bytes; throws {@link IllegalArgumentException} naming the allowed units. */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException((text.isEmpty() ? "\"\"" : text)
                    + " is not a size (a whole number of bytes, optionally with a unit: " + UNITS + ", e.g. 20MiB)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            return Math.multiplyExact(amount, multiplier(unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(text + " is too large");
        }
    }

    /** The shortest exact text in binary units ({@code 20MiB}, {@code 64KiB}), else a plain byte count. */
    public static String format(long bytes) {
        if (bytes != 0) {
            for (String unit : BINARY_UNITS) {
                long multiplier = multiplier(unit);
                if (bytes % multiplier == 0) {
                    return bytes / multiplier + unit;
                }
            }
        }
        return Long.toString(bytes);
    }

    private static long multiplier(String unit) {
        return switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
