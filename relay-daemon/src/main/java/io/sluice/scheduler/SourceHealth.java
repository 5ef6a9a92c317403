package io.sluice.scheduler;

import io.sluice.config.ShapingSettings;
import io.sluice.events.EventPublisher;
import io.sluice.events.LifecycleEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reputation-driven source rotation (docs/shaping.md "Rotation"): per (source, provider), the block and deferral
 * rates over its last {@code window} transactions (a block: a 5xx with a 5.7.x policy status; a deferral: a
 * transaction the next hop deferred whole). When, with at least {@code min_transactions} counted, either rate goes
 * above its threshold, the source leaves rotation for that provider for {@code cooldown}: the source choice skips it
 * there while another source of the pool can take the mail. After the cool-down one message is let through as a
 * probe; if it is neither deferred nor blocked the source is back (its window starts afresh), else it is out for
 * another cool-down. Each change is a {@code shaping} event ({@code rotated_out}, {@code rotated_in}) and a log line,
 * and {@code sluice_source_out_of_rotation} is 1 while out (an alert).
 *
 * <p>Scheduler thread only, except {@link #snapshot}. Allocation: none per transaction once a pair is known.
 */
final class SourceHealth {
    private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);

    /** One (source, provider): a ring of the last transactions' kinds (0 ok, 1 deferred, 2 blocked). */
    private static final class Pair {
        final String source;
        final String provider;
        byte[] ring;
        int next;
        int count;
        int deferred;
        int blocked;
        boolean out;
        long outUntilMillis;
        boolean probing;
        /** When the probe was placed: a probe that brings no answer within a cool-down is given up. */
        long probeAtMillis;

        Pair(String source, String provider, int window) {
            this.source = source;
            this.provider = provider;
            this.ring = new byte[window];
        }
    }

    private final EventPublisher events;
    /** Pairs by source, then provider (two lookups, no key to build). */
    private final Map<String, Map<String, Pair>> pairs = new HashMap<>();
    private ShapingSettings.Rotation rotation;
    private final java.util.function.Function<String, Map<String, Pair>> newMap = s -> new HashMap<>();
    private volatile List<SourceRotation> published = List.of();

    SourceHealth(EventPublisher events) {
        this.events = events;
    }

    /** The rotation thresholds of a reload (null: rotation off). Windows are kept unless their size changed. */
    void rotation(ShapingSettings.Rotation next) {
        this.rotation = next;
        if (next == null) {
            pairs.clear();
            publish();
        }
    }

    /**
     * True when {@code source} may take {@code provider}'s mail now: in rotation, or its cool-down is over and no
     * probe is out (the caller then places one message, {@link #placed}).
     */
    boolean inRotation(String source, String provider, long nowMillis) {
        if (rotation == null || pairs.isEmpty()) {
            return true;
        }
        Pair p = pair(source, provider);
        if (p == null || !p.out) {
            return true;
        }
        if (p.probing && nowMillis - p.probeAtMillis >= rotation.cooldown().toMillis()) {
            p.probing = false; // its probe never came back with an answer (not connected, expired, moved): another
        }
        return !p.probing && nowMillis >= p.outUntilMillis;
    }

    /** A message of {@code provider} was placed on {@code source}: when the pair is out, that is its probe. */
    void placed(String source, String provider, long nowMillis) {
        if (rotation == null || pairs.isEmpty()) {
            return;
        }
        Pair p = pair(source, provider);
        if (p != null && p.out) {
            p.probing = true;
            p.probeAtMillis = nowMillis;
        }
    }

    /** A transaction of {@code source} to {@code provider} ended. */
    void observe(String source, String provider, boolean deferredWhole, boolean blocked, long nowMillis) {
        ShapingSettings.Rotation r = rotation;
        if (r == null) {
            return;
        }
        Pair p = pair(source, provider);
        if (p == null) {
            p = new Pair(source, provider, r.window());
            pairs.computeIfAbsent(source, newMap).put(provider, p);
        } else if (p.ring.length != r.window()) {
            p.ring = new byte[r.window()];
            p.next = p.count = p.deferred = p.blocked = 0;
        }
        if (p.out) {
            if (p.probing) { // the probe's answer decides
                p.probing = false;
                if (deferredWhole || blocked) {
                    p.outUntilMillis = nowMillis + r.cooldown().toMillis();
                    LOG.warn("source {} stays out of rotation for {}: its probe was {}", source, provider,
                            blocked ? "blocked" : "deferred");
                } else {
                    p.out = false;
                    p.next = p.count = p.deferred = p.blocked = 0;
                    LOG.info("source {} back in rotation for {}: its probe went through", source, provider);
                    events.publish(LifecycleEvent.shaping(nowMillis, source, "provider " + provider, "rotated_in",
                            "probe delivered", 0));
                    publish();
                }
            }
            return;
        }
        byte kind = blocked ? (byte) 2 : deferredWhole ? (byte) 1 : (byte) 0;
        if (p.count == p.ring.length) { // the oldest leaves the window
            byte old = p.ring[p.next];
            p.deferred -= old == 1 ? 1 : 0;
            p.blocked -= old == 2 ? 1 : 0;
        } else {
            p.count++;
        }
        p.ring[p.next] = kind;
        p.next = (p.next + 1) % p.ring.length;
        p.deferred += kind == 1 ? 1 : 0;
        p.blocked += kind == 2 ? 1 : 0;
        if (p.count >= r.minTransactions() && (p.deferred > r.maxDeferralRate() * p.count
                || p.blocked > r.maxBlockRate() * p.count)) {
            p.out = true;
            p.probing = false;
            p.outUntilMillis = nowMillis + r.cooldown().toMillis();
            String why = String.format(java.util.Locale.ROOT, "%d of the last %d transactions deferred, %d blocked"
                    + " (thresholds %.2f, %.2f); out for %s, then a probe", p.deferred, p.count, p.blocked,
                    r.maxDeferralRate(), r.maxBlockRate(), io.sluice.util.Durations.format(r.cooldown()));
            LOG.warn("source {} out of rotation for {}: {}", source, provider, why);
            events.publish(LifecycleEvent.shaping(nowMillis, source, "provider " + provider, "rotated_out", why, 0));
            publish();
        }
    }

    /** The pairs out of rotation now. Any thread. */
    List<SourceRotation> snapshot() {
        return published;
    }

    private void publish() {
        List<SourceRotation> out = new ArrayList<>();
        for (Map<String, Pair> bySource : pairs.values()) {
            for (Pair p : bySource.values()) {
                if (!p.out) {
                    continue;
                }
                out.add(new SourceRotation(p.source, p.provider, p.outUntilMillis, p.count == 0 ? 0 : (double) p.deferred
                        / p.count, p.count == 0 ? 0 : (double) p.blocked / p.count));
            }
        }
        published = List.copyOf(out);
    }

    private Pair pair(String source, String provider) {
        Map<String, Pair> bySource = pairs.get(source);
        return bySource == null ? null : bySource.get(provider);
    }
}
