package io.sluice.scheduler;

import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.config.ShapingSettings.Rate;
import io.sluice.util.Gcra;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The path a reply rule's action applies to (docs/shaping.md "Automation"): a (source, provider) path, or a
 * (source, site) path for a site no provider matches. Holds the actions in force there and what they add up to:
 * suspended until when, the tightest connection cap and message rate, plus the matching replies counted per rule
 * for threshold triggers. {@link PathGate} reads the sums at dispatch ({@link PathGroup#actions},
 * {@link SiteState#actions}). Scheduler thread only.
 */
final class ActionTarget {
    /** {@code source} and {@code target} as the state file and status show them. */
    final String source;
    /** {@code provider gmail} or {@code site mx1.example.net,mx2.example.net}. */
    final String target;
    /** The provider's name, or null for a site target. */
    final String provider;
    final List<ActiveAction> active = new ArrayList<>(2);
    /** When the last suspension in force ends (epoch ms), 0 when none. */
    long suspendedUntilMillis;
    /** The tightest connection cap in force, 0 when none. */
    int cap;
    /** The tightest message rate in force, or null. */
    Gcra rate;
    Rate rateSpec;
    /** Matching replies per threshold rule: the times of the last N, oldest first (a ring). */
    private Map<AutomationRule, long[]> hits;
    private Map<AutomationRule, Integer> hitNext;

    ActionTarget(String source, String target, String provider) {
        this.source = source;
        this.target = target;
        this.provider = provider;
    }

    /** The key of a target in maps and the state file. */
    static String key(String source, String target) {
        return source + '\t' + target;
    }

    /**
     * Counts one reply matching {@code rule} at {@code nowMillis}; true when that makes the rule fire (its Nth within
     * its window; every time for {@code immediate}). The count starts again after a firing.
     */
    boolean hit(AutomationRule rule, long nowMillis) {
        if (rule.count() <= 1) {
            return true;
        }
        if (hits == null) {
            hits = new HashMap<>();
            hitNext = new HashMap<>();
        }
        long[] times = hits.computeIfAbsent(rule, r -> {
            long[] t = new long[r.count()];
            java.util.Arrays.fill(t, Long.MIN_VALUE);
            return t;
        });
        int next = hitNext.getOrDefault(rule, 0);
        times[next] = nowMillis;
        next = (next + 1) % times.length;
        hitNext.put(rule, next);
        long oldest = times[next]; // the ring is full when the oldest slot has a time
        if (oldest != Long.MIN_VALUE && nowMillis - oldest <= rule.window().toMillis()) {
            java.util.Arrays.fill(times, Long.MIN_VALUE);
            return true;
        }
        return false;
    }

    /** True when an action from {@code rule} is in force here (it does not fire again until that ends). */
    boolean inForce(AutomationRule rule) {
        for (int i = 0; i < active.size(); i++) { // by its regex: an action restored after a restart has no rule
            if (active.get(i).match.equals(rule.match())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Recomputes the sums after an action came or went at {@code nowMillis}; a rate limiter is kept while its rate is
     * unchanged. A new one lets its first delivery go one interval from now, not at once: the path was just told to
     * slow down (its last deliveries went at the old rate).
     */
    void recompute(long nowMillis) {
        long until = 0;
        int nextCap = 0;
        Rate tightest = null;
        for (int i = 0; i < active.size(); i++) {
            ActiveAction a = active.get(i);
            if (a.suspend) {
                until = Math.max(until, a.untilMillis);
            }
            if (a.connections > 0) {
                nextCap = nextCap == 0 ? a.connections : Math.min(nextCap, a.connections);
            }
            if (a.messageRate != null && (tightest == null
                    || a.messageRate.intervalNanos() > tightest.intervalNanos())) {
                tightest = a.messageRate;
            }
        }
        suspendedUntilMillis = until;
        cap = nextCap;
        if (tightest == null) {
            rate = null;
        } else if (rate == null || !tightest.equals(rateSpec)) {
            rate = Gcra.spaced(tightest.intervalNanos(), tightest.burst(), nowMillis * 1_000_000L
                    + tightest.intervalNanos());
        }
        rateSpec = tightest;
    }
}
