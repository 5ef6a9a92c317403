package io.sluice.scheduler;

import io.sluice.dns.SiteKey;
import io.sluice.shaping.AdaptiveConcurrency;

/**
 * One site (MX host set): its ready queue shared by every domain hosted there, tasks in flight, health, and
 * whether it sits in the scheduler's round-robin ring. Scheduler thread only.
 */
final class SiteState {
    final SiteKey key;
    final SiteHealth health;
    /** How many tasks may be in flight now: earned by successful connections, up to the per-site cap. */
    final AdaptiveConcurrency concurrency;
    /** {@link #key} as text (the name operators use), made once so suspension checks allocate nothing. */
    final String name;
    /** Suspended by an operator: it leaves the ring and dispatches nothing until resumed ({@link QueueSteering}). */
    boolean suspended;
    final BatchQueue ready = new BatchQueue();
    int inFlight;
    boolean inRing;
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

    SiteState(SiteKey key, SiteHealth health, int maxInFlight) {
        this.key = key;
        this.health = health;
        this.concurrency = new AdaptiveConcurrency(maxInFlight);
        this.name = key.toString();
    }
}
