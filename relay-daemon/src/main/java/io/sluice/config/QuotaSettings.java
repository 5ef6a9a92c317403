package io.sluice.config;

import java.time.Duration;

/**
 * A limit on one SMTP AUTH identity ({@code quotas[]} in sluice.yaml); at least one of the two limits is set.
 *
 * @param authUser  the AUTH identity ({@code auth_user}, required, unique)
 * @param maxRate   most messages per period ({@code max_rate}, e.g. {@code 200/s}), or null for no rate limit
 * @param maxQueued most pending recipients ({@code max_queued}: accepted, no final outcome yet), or 0 for no limit
 */
public record QuotaSettings(String authUser, Rate maxRate, long maxQueued) {

    /**
     * A rate written {@code count/period}: {@code 200/s}, {@code 1000/m}, {@code 36000/h}.
     *
     * @param count  how many, at least 1
     * @param period per this long: one second, minute or hour
     */
    public record Rate(long count, Duration period) {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
                "(\\d[\\d_]*)/(s|m|min|h)");
        private static final long MAX_COUNT = 1_000_000_000L;

        /**
         * {@code 200/s}, {@code 1000/m} (or {@code /min}), {@code 36000/h}: the one reader of rates in config files
         * (quotas here, a strict sink's policy in relay-bench).
         *
         * @throws IllegalArgumentException naming the problem, for a caller to prefix with file, line and key
         */
        public static Rate parse(String raw) {
            java.util.regex.Matcher m = FORM.matcher(raw);
            if (!m.matches()) {
                throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                        + " is not a rate (write N/s, N/m or N/h, e.g. 200/s)");
            }
            long count;
            try {
                count = Long.parseLong(m.group(1).replace("_", ""));
            } catch (NumberFormatException e) {
                count = Long.MAX_VALUE;
            }
            if (count < 1) {
                throw new IllegalArgumentException(raw + " is not a positive rate");
            }
            if (count > MAX_COUNT) {
                throw new IllegalArgumentException(raw + " is above the maximum of " + MAX_COUNT + " per period");
            }
            Duration period = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m", "min" -> Duration.ofMinutes(1);
                default -> Duration.ofHours(1);
            };
            return new Rate(count, period);
        }

        @Override
        public String toString() {
            String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "m"
                    : "h";
            return count + "/" + unit;
        }
    }
}
