package io.sluice.scheduler;

import io.sluice.dns.Destination;

/**
 * One destination domain: its batches waiting for DNS, whether a resolution is in flight (at most one), and the
 * cached result (hosts and site) until a retry asks for a fresh look. Scheduler thread only, except
 * {@link #answer}, which the DNS completion thread writes before handing this object to the scheduler through the
 * completion queue (whose offer/poll pair orders the write before the read).
 */
final class DomainState {
    /** Lower case (per char, {@link DomainTable#lower}). */
    final String name;
    /** {@link DomainTable}'s hash of {@link #name} and its bucket chain. */
    final int hash;
    DomainState hashNext;
    final BatchQueue waiting = new BatchQueue();
    /** Batches an operator suspended or held ({@link QueueSteering}); they count as live batches. */
    final BatchQueue parked = new BatchQueue();
    /** On {@link QueueSteering}'s list of domains whose parked batches are checked for expiry. */
    boolean expiryScan;
    Destination.Hosts hosts;
    /** The site of the cached answer; the ready queue within it depends on the source chosen per batch. */
    SiteGroup site;
    boolean resolving;
    boolean wantsResolve;
    /** The answer of the resolution in flight, set by the DNS completion thread (see the class comment). */
    Destination answer;
    /** When the cached answer ({@link #hosts}, {@link #site}) arrived; older than a minute means ask again. */
    long answeredAtMillis;
    /** The last lookup's temporary failure (null after any other answer), and when it came. */
    Destination.Temporary failure;
    long failedAtMillis;
    /** Batches of this domain anywhere (waiting, ready, in flight, on a timer); at 0 the domain idles. */
    int liveBatches;
    /** On {@link DomainTable}'s idle list (no live batch, no lookup) since {@link #idleSinceMillis}. */
    boolean idle;
    long idleSinceMillis;
    DomainState idlePrev;
    DomainState idleNext;
    /** {@link BatchIntake}'s scratch: the batch of the message being grouped that is still open here, or null. */
    Batch open;
    /** {@link BatchIntake}'s scratch: the recovered due time {@link #open} was made for. */
    long openDueMillis;
    /** {@link QueueSummary}'s scratch: the pass that last counted this domain, and its row there. */
    long summaryPass;
    int summaryRow;

    DomainState(String name, int hash) {
        this.name = name;
        this.hash = hash;
    }
}
