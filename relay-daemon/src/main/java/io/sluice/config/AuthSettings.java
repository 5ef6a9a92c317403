package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * SMTP AUTH for one listener ({@code listeners[].auth}).
 *
 * @param enabled         offer AUTH PLAIN and LOGIN ({@code enabled}, default false)
 * @param usersFile       file of {@code user:$pbkdf2-sha256$iterations$salt$hash} lines ({@code users_file});
 *                        required when enabled
 * @param allowPlaintext  offer AUTH before TLS ({@code allow_plaintext}, default false)
 * @param cacheTtl        how long a successful (user, password) check is cached ({@code cache_ttl}, default 5m)
 * @param maxFailuresPerIp failed attempts per minute per (client IP, user name) before that user's further attempts
 *                        from that IP get 454; the IP as a whole is refused after 4x this many over all names
 *                        ({@code max_failures_per_ip}, default 5)
 */
public record AuthSettings(
        boolean enabled,
        Path usersFile,
        boolean allowPlaintext,
        Duration cacheTtl,
        int maxFailuresPerIp) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_FAILURES_PER_IP = 5;

    /** AUTH off. */
    public static AuthSettings disabled() {
        return new AuthSettings(false, null, false, DEFAULT_CACHE_TTL, DEFAULT_MAX_FAILURES_PER_IP);
    }
}
