package io.sluice.web;

import io.sluice.util.Gcra;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The web listener's request limit per client IP: {@code perMinute} requests a minute, bursts of as many (a
 * {@link Gcra} per address). The map is bounded: past {@value #SWEEP_AT} addresses, those idle for a minute (whose
 * limiter is full again, so forgetting them changes nothing) are dropped; if a flood of distinct addresses keeps it
 * full, new addresses share one limiter, so the listener stays within its memory either way. Thread-safe.
 */
final class PerIpRate {
    static final int SWEEP_AT = 10_000;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private record Entry(Gcra limit, long[] lastNanos) {
    }

    private final int perMinute;
    private final ConcurrentHashMap<String, Entry> byIp = new ConcurrentHashMap<>();
    private final Gcra overflow;

    PerIpRate(int perMinute, long nowNanos) {
        this.perMinute = perMinute;
        this.overflow = new Gcra(perMinute, MINUTE, nowNanos);
    }

    /** Whether a request from {@code ip} at {@code nowNanos} is within its limit (it is then counted). */
    boolean tryAcquire(String ip, long nowNanos) {
        Entry e = byIp.get(ip);
        if (e == null) {
            if (byIp.size() >= SWEEP_AT) {
                byIp.values().removeIf(x -> nowNanos - x.lastNanos[0] > MINUTE);
            }
            if (byIp.size() >= SWEEP_AT) {
                return overflow.tryAcquire(nowNanos);
            }
            e = byIp.computeIfAbsent(ip, k -> new Entry(new Gcra(perMinute, MINUTE, nowNanos), new long[1]));
        }
        e.lastNanos[0] = nowNanos;
        return e.limit.tryAcquire(nowNanos);
    }
}
