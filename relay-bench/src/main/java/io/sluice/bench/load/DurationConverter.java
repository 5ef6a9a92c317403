package io.sluice.bench.load;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses command-line durations: a number with unit {@code ms}, {@code s}, {@code m} or {@code h}
 * ({@code 300s}, {@code 5m}, {@code 1500ms}); a bare number means seconds. Pure; rejects anything else with a
 * picocli type-conversion error that names the accepted forms.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration; use e.g. 300s, 5m, 1500ms or 1h");
        }
    }
}
