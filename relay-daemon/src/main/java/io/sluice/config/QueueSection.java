package io.sluice.config;

import io.sluice.util.Durations;
import java.time.Duration;

/** Reads the {@code queue} section into {@link QueueSettings}; the longest probe wait must be at least the first. */
final class QueueSection {

    private QueueSection() {
    }

    static QueueSettings read(YamlMapping m) {
        long maxPending = m.number("max_pending_recipients", QueueSettings.DEFAULT_MAX_PENDING_RECIPIENTS,
                Limits.range(1, Long.MAX_VALUE, Long::toString));
        int failures = m.integer("dead_site_failures", QueueSettings.DEFAULT_DEAD_SITE_FAILURES,
                Limits.range(1, 1000, Long::toString));
        Duration firstProbe = m.duration("dead_site_first_probe", QueueSettings.DEFAULT_DEAD_SITE_FIRST_PROBE,
                Limits.range(1, Duration.ofDays(1).toMillis(), QueueSection::millis));
        Duration maxProbe = m.duration("dead_site_max_probe", QueueSettings.DEFAULT_DEAD_SITE_MAX_PROBE,
                Limits.range(firstProbe.toMillis(), Duration.ofDays(7).toMillis(), QueueSection::millis));
        Duration spread = m.duration("restart_spread", QueueSettings.DEFAULT_RESTART_SPREAD,
                Limits.range(0, Duration.ofDays(1).toMillis(), QueueSection::millis));
        int maxInFlight = m.integer("max_in_flight", QueueSettings.DEFAULT_MAX_IN_FLIGHT,
                Limits.range(1, 65_536, Long::toString));
        m.finish();
        return new QueueSettings(maxPending, failures, firstProbe, maxProbe, spread, maxInFlight);
    }

    private static String millis(long ms) {
        return Durations.format(Duration.ofMillis(ms));
    }
}
