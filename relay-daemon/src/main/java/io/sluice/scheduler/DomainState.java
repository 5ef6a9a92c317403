package io.sluice.scheduler;

import io.sluice.dns.Destination;

/**
 * One destination domain: its batches waiting for DNS, whether a resolution is in flight (at most one), and the
 * cached result (hosts and site) until a retry asks for a fresh look. Scheduler thread only.
 */
final class DomainState {
    final String name;
    final BatchQueue waiting = new BatchQueue();
    Destination.Hosts hosts;
    SiteState site;
    boolean resolving;
    boolean wantsResolve;
    /** Batches of this domain anywhere (waiting, ready, in flight, on a timer): the domain is dropped at 0. */
    int liveBatches;

    DomainState(String name) {
        this.name = name;
    }
}
