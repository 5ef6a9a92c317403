package io.sluice.scheduler;

import io.sluice.dns.SiteKey;
import io.sluice.shaping.AdaptiveConcurrency;

/**
 * One ready queue: a site (MX host set) as reached from one source ({@link ReadyKey}), shared by every domain hosted
 * there whose mail that source sends; its tasks in flight, health, and whether it sits in the scheduler's
 * round-robin ring. With one source (the default) there is one per site. Scheduler thread only.
 */
final class SiteState {
    final SiteKey key;
    /** Source and site: the key of this queue's connection pool, carried by its tasks. */
    final ReadyKey readyKey;
    final SiteGroup group;
    final SiteHealth health;
    /** How many tasks may be in flight now: earned by successful connections, up to the per-site cap. */
    final AdaptiveConcurrency concurrency;
    /** The site's name ({@link #key} as text, the name operators use), shared with the group: no allocation. */
    final String name;
    /** Suspended by an operator: it leaves the ring and dispatches nothing until resumed ({@link QueueSteering}). */
    boolean suspended;
    /** Ready batches, one FIFO per lane, taken by lane weight. */
    final LanedQueue ready;
    int inFlight;
    boolean inRing;
    /** The (source, site) message rate, or null ({@link PathGate}); {@link #rateSpec} is what it was made from. */
    io.sluice.util.Gcra rate;
    io.sluice.config.ShapingSettings.Rate rateSpec;
    /** The connection pool its tasks use: {@link #readyKey}, or its provider group's shared pool ({@link PathGate}). */
    ReadyKey poolKey;
    /** The (source, provider) group whose budget this queue shares, or null ({@link PathGate}). */
    PathGroup pathGroup;
    /** Shaping actions on this (source, site) path when no provider matches it, or null ({@link ShapingActions}). */
    ActionTarget actions;
    /** The group whose room this queue waits for (it is in that group's waiting list), or null. */
    PathGroup waitingFor;
    /** In the pacing queue until {@link #pacedUntilNanos} (its message rate allows the next delivery then). */
    boolean paced;
    long pacedUntilNanos;
    /** Listed by {@link ReadyExpiry} (it has or had ready mail). */
    boolean expiryListed;
    long probeTimerId = Long.MIN_VALUE;
    /**
     * The last temporary failure of an attempt here, for {@code sluice queue}: reply code (0: Sluice's own reason,
     * e.g. a refused connection), text and the MX host that replied (null for Sluice's own), and when (-1: none).
     * The strings are the batch's remembered ones ({@link BatchOutcomes}): nothing is allocated to keep them.
     */
    int lastErrorCode;
    String lastErrorText;
    String lastErrorMx;
    long lastErrorMillis = -1;
    /** {@link QueueSummary}'s scratch: the pass that last counted this site, and its row there. */
    long summaryPass;
    int summaryRow;

    SiteState(SiteGroup group, String source, SiteHealth health, int maxInFlight, Lanes lanes) {
        this.group = group;
        this.ready = new LanedQueue(lanes);
        this.key = group.key;
        this.readyKey = new ReadyKey(source, group.key);
        this.health = health;
        this.concurrency = new AdaptiveConcurrency(maxInFlight);
        this.name = group.name;
    }
}
