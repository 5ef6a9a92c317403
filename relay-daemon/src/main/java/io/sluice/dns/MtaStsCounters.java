package io.sluice.dns;

import java.util.concurrent.atomic.LongAdder;

/**
 * What MTA-STS did, for metrics: policy fetches by result, and what a policy refused (enforce) or would have
 * refused (testing), by reason. Counts only grow; recorded and read from any thread ({@link LongAdder}s).
 */
public final class MtaStsCounters {

    /** Why a delivery did not meet a policy. A closed set, so metric labels stay bounded. */
    public enum Failure {
        /** An MX host the policy does not list (enforce: not used; none left: deferred). */
        MX_MISMATCH,
        /** A session whose certificate did not validate or name the MX host, or no TLS at all. */
        TLS_UNVERIFIED;

        /** The metric label value. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder fetched = new LongAdder();
    private final LongAdder fetchFailed = new LongAdder();
    private final LongAdder[][] failures = new LongAdder[2][Failure.values().length];

    MtaStsCounters() {
        for (LongAdder[] mode : failures) {
            for (int i = 0; i < mode.length; i++) {
                mode[i] = new LongAdder();
            }
        }
    }

    void fetched() {
        fetched.increment();
    }

    void fetchFailed() {
        fetchFailed.increment();
    }

    void failure(MtaStsPolicy.Mode mode, Failure why) {
        failures[mode == MtaStsPolicy.Mode.ENFORCE ? 0 : 1][why.ordinal()].increment();
    }

    /** Policies fetched and parsed. */
    public long fetchedCount() {
        return fetched.sum();
    }

    /** Fetches that gave no policy (DNS, connection, TLS, HTTP status or a malformed policy). */
    public long fetchFailedCount() {
        return fetchFailed.sum();
    }

    /** Failures of {@code why} under policies in {@code mode} (enforce or testing). */
    public long failures(MtaStsPolicy.Mode mode, Failure why) {
        return failures[mode == MtaStsPolicy.Mode.ENFORCE ? 0 : 1][why.ordinal()].sum();
    }
}
