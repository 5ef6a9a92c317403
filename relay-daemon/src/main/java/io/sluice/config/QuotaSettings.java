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
        @Override
        public String toString() {
            String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "m"
                    : "h";
            return count + "/" + unit;
        }
    }
}
