package io.sluice.config;

import io.sluice.util.Durations;
import java.time.Duration;

/**
 * Reads the {@code mta_sts} section of sluice.yaml into {@link MtaStsSettings}: {@code enabled} (boolean),
 * {@code https_port} (a port) and {@code fetch_timeout} (1ms-5m: a policy host slower than that is treated as
 * absent, RFC 8461 3.3 leaves the bound to the sender).
 */
final class MtaStsSection {
    private static final Limits FETCH_TIMEOUT = Limits.range(1, Duration.ofMinutes(5).toMillis(),
            ms -> Durations.format(Duration.ofMillis(ms)));

    private MtaStsSection() {
    }

    static MtaStsSettings read(YamlMapping m) {
        MtaStsSettings d = MtaStsSettings.defaults();
        boolean enabled = m.bool("enabled", d.enabled());
        int port = m.integer("https_port", d.httpsPort(), Limits.PORT);
        Duration timeout = m.duration("fetch_timeout", d.fetchTimeout(), FETCH_TIMEOUT);
        m.finish();
        return new MtaStsSettings(enabled, port, timeout);
    }
}
