package io.sluice.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the CLI prints quantities for people: durations as {@code 2d3h}, {@code 4m05s}, {@code 12s}; byte counts in
 * binary units ({@code 1.5 MiB}); epoch millis as UTC ({@code 2026-11-22 12:34:56Z}); "none" values (-1 or null in
 * the API's JSON) as {@code -}. Stateless.
 */
final class HumanUnits {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private HumanUnits() {
    }

    /** A duration in whole seconds; {@code -} when negative (none). */
    static String seconds(long s) {
        if (s < 0) {
            return "-";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3_600, (s % 3_600) / 60);
        }
        return String.format(java.util.Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3_600);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Epoch millis as UTC; {@code -} when negative or zero (none). */
    static String time(long millis) {
        return millis <= 0 ? "-" : UTC.format(Instant.ofEpochMilli(millis));
    }
}
