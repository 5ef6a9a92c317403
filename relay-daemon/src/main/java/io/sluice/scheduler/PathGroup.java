package io.sluice.scheduler;

import io.sluice.config.ShapingSettings.Rate;
import io.sluice.util.Gcra;
import java.util.ArrayDeque;

/**
 * Deliveries in flight and the message-rate limiter of a set of ready queues that share a budget
 * (docs/shaping.md): every site of one provider from one source (its {@code per_source} limits), or every site of
 * one provider from every source ({@code total}, the {@link #parent} of the first kind). A ready queue whose group
 * is at its cap waits in {@link #waiting} (once) until one of the group's deliveries ends; the rate is a
 * {@link Gcra}, on the scheduler clock in nanoseconds (epoch milliseconds times 10^6; 0 = long ago). Scheduler thread only; no allocation once made.
 */
final class PathGroup {
    /** For messages and status: {@code source/provider}, or {@code provider} for a total. */
    final String name;
    final String provider;
    /**
     * The connection pool keys its queues' tasks carry when the group caps connections, made once each: one for its
     * sites without an MTA-STS mark, one per mark ({@link #markIndex}), since marked sites' connections must never
     * serve the others (enforce verifies TLS); null until a site of that kind attaches.
     */
    final ReadyKey[] poolKeys = new ReadyKey[io.sluice.dns.MtaStsPolicy.Mode.values().length + 1];
    /** The index in {@link #poolKeys} of a site with MTA-STS mark {@code mark} (null: none). */
    static int markIndex(io.sluice.dns.MtaStsPolicy.Mode mark) {
        return mark == null ? 0 : mark.ordinal() + 1;
    }

    /** The provider-wide group this one belongs to, or null (a total, or no total configured). */
    PathGroup parent;
    /** Deliveries in flight over the group's sites. */
    int inFlight;
    /** Most deliveries (and connections) in flight at once; 0 for no cap. */
    int cap;
    /** Transactions started over the group, or null for no rate. */
    Gcra rate;
    private Rate rateSpec;
    /** Shaping actions on this (source, provider) path ({@link ShapingActions}), or null when none ever was. */
    ActionTarget actions;
    /** Ready queues that found the group at its cap, in order; each at most once ({@link SiteState#waitingFor}). */
    final ArrayDeque<SiteState> waiting = new ArrayDeque<>();

    PathGroup(String name, String provider) {
        this.name = name;
        this.provider = provider;
    }

    /** The group's limits from a (re)loaded policy; the rate limiter is kept when the rate did not change. */
    void limits(int nextCap, Rate nextRate) {
        this.cap = nextCap;
        if (nextRate == null) {
            rate = null;
        } else if (!nextRate.equals(rateSpec) || rate == null) {
            rate = Gcra.spaced(nextRate.intervalNanos(), nextRate.burst(), 0);
        }
        rateSpec = nextRate;
    }

    /** True when the group has room for one more delivery (within its cap and any action's). */
    boolean hasRoom() {
        return (cap <= 0 || inFlight < cap) && (actions == null || actions.cap <= 0 || inFlight < actions.cap);
    }
}
