package io.sluice.smtp.server;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The date-time text of the header fields Sluice adds (Received, Date; RFC 5322 3.3, in the host's time zone with a
 * numeric offset: {@code +0000}, never the obsolete {@code GMT} that the JDK's RFC 1123 form writes for UTC),
 * formatted once per second and shared by every event loop: thread-safe, and it allocates once
 * a second instead of once a message.
 */
final class HeaderDate {
    /** A formatted second; immutable, so one volatile read gives a consistent pair. */
    private record Formatted(long epochSecond, String text) {
    }

    /** RFC 5322 3.3 date-time with a numeric zone ({@code obs-zone} names such as GMT are obsolete). */
    static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx",
            java.util.Locale.US);

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private HeaderDate() {
    }

    /** The header text of the second that {@code epochMillis} falls in. */
    static String format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Formatted f = last;
        if (f.epochSecond() != second) {
            f = new Formatted(second, RFC_5322.format(
                    ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneId.systemDefault())));
            last = f;
        }
        return f.text();
    }
}
