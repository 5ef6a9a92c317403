package io.sluice.config;

import io.sluice.config.QuotaSettings.Rate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code quotas} list into {@link QuotaSettings}.
 *
 * <p>Absent, null or empty: none. Per quota: {@code auth_user} required and unique; {@code max_rate} written
 * {@code N/s}, {@code N/m} or {@code N/h} with N from 1 to 1,000,000,000; {@code max_queued} a whole number at least
 * 1; at least one of the two.
 */
final class QuotasSection {


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
            Rate rate = m.read("max_rate", null, Rate::parse);
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
}
