package io.sluice.util;

import java.time.Instant;

/**
 * Appends an epoch-millisecond time as {@link Instant#toString()} writes it (ISO-8601 in UTC, {@code
 * 2026-11-22T14:35:07.123Z}, the fraction left out when it is zero) without allocating: for the event log and
 * {@code journal dump}, which write one or more times per message. Years outside 0000–9999 fall back to
 * {@link Instant#toString()}. Stateless and thread-safe.
 */
public final class IsoInstant {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoInstant() {
    }

    /** Appends {@code epochMillis} to {@code out}; returns {@code out}. */
    public static StringBuilder append(StringBuilder out, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return out.append(Instant.ofEpochMilli(epochMillis));
        }
        digits(out, (int) year, 4).append('-');
        digits(out, month, 2).append('-');
        digits(out, day, 2).append('T');
        int seconds = millisOfDay / 1000;
        digits(out, seconds / 3600, 2).append(':');
        digits(out, seconds / 60 % 60, 2).append(':');
        digits(out, seconds % 60, 2);
        int millis = millisOfDay % 1000;
        if (millis != 0) {
            digits(out.append('.'), millis, 3);
        }
        return out.append('Z');
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int divisor = width == 4 ? 1000 : width == 3 ? 100 : 10; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
        return out;
    }
}
