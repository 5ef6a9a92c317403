package io.sluice.smtp.server;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The date-time text of the header fields Sluice adds (Received, Date; RFC 5322 3.3 in the RFC 1123 form, in the
 * host's time zone), formatted once per second and shared by every event loop: thread-safe, and it allocates once
 * a second instead of once a message.
 */
final class HeaderDate {
    /** A formatted second; immutable, so one volatile read gives a consistent pair. */
    private record Formatted(long epochSecond, String text) {
    }

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private HeaderDate() {
    }

    /** The header text of the second that {@code epochMillis} falls in. */
    static String format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Formatted f = last;
        if (f.epochSecond() != second) {
            f = new Formatted(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneId.systemDefault())));
            last = f;
        }
        return f.text();
    }
}
