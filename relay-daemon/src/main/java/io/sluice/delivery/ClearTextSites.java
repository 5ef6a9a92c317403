package io.sluice.delivery;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Opportunistic TLS memory: the sites whose STARTTLS handshake failed recently, so their next
 * connections go in clear text instead of failing the handshake again. Each entry lapses after a fixed time, after
 * which STARTTLS is tried again.
 *
 * <p>Keys are the caller's site keys; at most one entry per site, removed lazily when found expired (sites are few
 * and long-lived, so no sweep is needed). Threading: thread-safe (called from event loops).
 */
final class ClearTextSites<K> {
    private final ConcurrentHashMap<K, Long> untilNanos = new ConcurrentHashMap<>();
    private final long rememberNanos;

    ClearTextSites(long rememberNanos) {
        this.rememberNanos = rememberNanos;
    }

    /** Remembers that {@code site} failed TLS now. */
    void tlsFailed(K site) {
        untilNanos.put(site, System.nanoTime() + rememberNanos);
    }

    /** True while {@code site} should be reached without STARTTLS. */
    boolean inClearText(K site) {
        Long until = untilNanos.get(site);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until >= 0) {
            untilNanos.remove(site, until);
            return false;
        }
        return true;
    }
}
