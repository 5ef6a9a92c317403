package io.sluice.config;

import io.sluice.config.ListenerSettings.TlsMode;
import io.sluice.util.Durations;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads one listener's {@code auth} mapping into {@link AuthSettings}.
 *
 * <p>When enabled: {@code users_file} is required and must be readable now; and AUTH must be offerable at all,
 * which it is not on a plain-text listener ({@code tls: none}) unless {@code allow_plaintext} is set, since AUTH
 * is only offered after TLS otherwise. A disabled section keeps what it says (so a reload can flip it).
 */
final class AuthSection {

    private AuthSection() {
    }

    static AuthSettings read(YamlMapping m, TlsMode tls) {
        boolean enabled = m.bool("enabled", false);
        Path usersFile = m.path("users_file", null);
        boolean allowPlaintext = m.bool("allow_plaintext", false);
        Duration cacheTtl = m.duration("cache_ttl", AuthSettings.DEFAULT_CACHE_TTL,
                Limits.range(0, Duration.ofDays(1).toMillis(), ms -> Durations.format(Duration.ofMillis(ms))));
        int maxFailures = m.integer("max_failures_per_ip", AuthSettings.DEFAULT_MAX_FAILURES_PER_IP,
                Limits.range(1, 1_000_000, Long::toString));
        m.finish();

        if (enabled) {
            if (usersFile == null && !m.failed("users_file")) {
                m.error("users_file", "required when auth is enabled");
            } else if (usersFile != null) {
                FileChecks.requireReadableFile(m, "users_file", usersFile);
            }
            if (tls == TlsMode.NONE && !allowPlaintext && !m.failed("allow_plaintext")) {
                m.error("enabled", "AUTH could never be offered: the listener has tls none and allow_plaintext"
                        + " is false (set tls to starttls or implicit, or allow_plaintext to true)");
            }
        }
        return new AuthSettings(enabled, usersFile, allowPlaintext, cacheTtl, maxFailures);
    }
}
