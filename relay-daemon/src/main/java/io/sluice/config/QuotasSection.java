package io.sluice.config;

import io.sluice.config.QuotaSettings.Rate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code quotas} list into {@link QuotaSettings}.
 *
 * <p>Absent, null or empty: none. Per quota: {@code auth_user} required and unique; {@code max_rate} written
 * {@code N/s}, {@code N/m} or {@code N/h} with N from 1 to 1,000,000,000; {@code max_queued} a whole number at least
 * 1; at least one of the two.
 */
final class QuotasSection {

    private static final Pattern RATE = Pattern.compile("(\\d[\\d_]*)/([smh])");
    private static final long MAX_COUNT = 1_000_000_000L;

    private QuotasSection() {
    }

    static List<QuotaSettings> read(YamlMapping doc) {
        List<YamlMapping> items = doc.mappingList("quotas");
        if (items == null) {
            return List.of();
        }
        List<QuotaSettings> quotas = new ArrayList<>();
        for (YamlMapping m : items) {
            String user = m.string("auth_user", null);
            Rate rate = m.read("max_rate", null, QuotasSection::rate);
            long maxQueued = m.number("max_queued", 0, Limits.range(1, Long.MAX_VALUE, Long::toString));
            m.finish();
            if (user == null && !m.failed("auth_user")) {
                m.error("auth_user", "required (the SMTP AUTH identity the quota applies to)");
            }
            if (rate == null && maxQueued == 0 && !m.failed("max_rate") && !m.failed("max_queued")) {
                m.error("max_rate", "a quota needs max_rate, max_queued or both");
            }
            if (user != null) {
                for (int i = 0; i < quotas.size(); i++) {
                    if (user.equals(quotas.get(i).authUser())) {
                        m.error("auth_user", user + " already has a quota at quotas[" + i + "] (line "
                                + items.get(i).line() + ")");
                    }
                }
            }
            quotas.add(new QuotaSettings(user, rate, maxQueued));
        }
        return quotas;
    }

    /** {@code 200/s}, {@code 1000/m}, {@code 36000/h}. */
    static Rate rate(String raw) {
        Matcher m = RATE.matcher(raw);
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
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new Rate(count, period);
    }
}
