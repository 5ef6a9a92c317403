package io.sluice.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes and deferrals the writer appended (or dropped) in the current group commit, kept in preallocated
 * parallel arrays until the commit's sync returns, then told to the {@link OutcomeListener} and
 * {@link DeferredListener} in offer order. Holds at most {@code capacity} entries: the writer reads no more from
 * the ring buffer than {@link #room()} allows. Owned by the writer thread; no allocation. Listener exceptions are
 * logged and otherwise ignored.
 */
final class StateNotices {
    private static final Logger LOG = LoggerFactory.getLogger(StateNotices.class);

    private final OutcomeListener outcomeListener;
    private final DeferredListener deferredListener;
    private final long[] ids;
    private final int[] recipients;
    /** Null for a deferral. */
    private final OutcomeCode[] codes;
    private final int[] attempts;
    private final long[] nextDue;
    private final boolean[] recorded;
    private int count;

    StateNotices(int capacity, OutcomeListener outcomeListener, DeferredListener deferredListener) {
        this.outcomeListener = outcomeListener;
        this.deferredListener = deferredListener;
        this.ids = new long[capacity];
        this.recipients = new int[capacity];
        this.codes = new OutcomeCode[capacity];
        this.attempts = new int[capacity];
        this.nextDue = new long[capacity];
        this.recorded = new boolean[capacity];
    }

    int size() {
        return count;
    }

    int room() {
        return ids.length - count;
    }

    void outcome(long id, int recipient, OutcomeCode code, boolean wasRecorded) {
        ids[count] = id;
        recipients[count] = recipient;
        codes[count] = code;
        recorded[count] = wasRecorded;
        count++;
    }

    void deferral(long id, int recipient, int attemptsSoFar, long nextDueMillis, boolean wasRecorded) {
        ids[count] = id;
        recipients[count] = recipient;
        codes[count] = null;
        attempts[count] = attemptsSoFar;
        nextDue[count] = nextDueMillis;
        recorded[count] = wasRecorded;
        count++;
    }

    /** Tells the listeners about every entry (all as not recorded when {@code failed}) and empties the batch. */
    void publish(boolean failed) {
        for (int i = 0; i < count; i++) {
            boolean durable = !failed && recorded[i];
            try {
                if (codes[i] != null) {
                    outcomeListener.outcomeRecorded(ids[i], recipients[i], codes[i], durable);
                } else {
                    deferredListener.deferredRecorded(ids[i], recipients[i], attempts[i], nextDue[i], durable);
                }
            } catch (Throwable t) {
                LOG.error("outcome or deferral listener threw", t);
            }
            codes[i] = null;
        }
        count = 0;
    }
}
