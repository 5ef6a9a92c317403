package io.sluice.dns;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many MX resolutions {@link MxResolver} ran and how many failed, by kind, for metrics and the admin API.
 *
 * <p>One lookup is one {@link MxResolver#resolve} call, whatever it cost in queries (cache hits included); each
 * lookup ends in at most one {@link Failure}. Counts only grow. Threading: recorded from any thread (resolutions
 * complete on the DNS thread, the JDK delay thread or the caller's); read from any thread; {@link LongAdder}s, so
 * recording never contends or allocates.
 */
public final class ResolutionCounters {

    /** Why a resolution gave no usable host. A closed set, so metric labels stay bounded. */
    public enum Failure {
        /** The domain (or, with an implicit MX, its address) does not exist: permanent 5.1.2. */
        NXDOMAIN,
        /** SERVFAIL, REFUSED, timeout or a network error on some query: temporary 4.4.3. */
        TEMPORARY,
        /** The domain publishes a null MX (RFC 7505): permanent 5.1.10. */
        NULL_MX,
        /** Every address found was loopback, private or our own: permanent 5.4.4. */
        REFUSED_PRIVATE,
        /** MX records without usable hosts, or hosts without addresses: permanent 5.4.4 or 5.1.2. */
        NO_ADDRESS,
        /** The domain is not a valid DNS name: permanent 5.1.2, no query sent. */
        BAD_NAME
    }

    private final LongAdder lookups = new LongAdder();
    private final LongAdder[] failures = new LongAdder[Failure.values().length];

    ResolutionCounters() {
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    void lookup() {
        lookups.increment();
    }

    void failed(Failure kind) {
        failures[kind.ordinal()].increment();
    }

    /** Resolutions started. */
    public long lookups() {
        return lookups.sum();
    }

    /** Resolutions that ended in {@code kind}. */
    public long failures(Failure kind) {
        return failures[kind.ordinal()].sum();
    }
}
