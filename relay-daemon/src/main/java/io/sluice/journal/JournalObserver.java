package io.sluice.journal;

/**
 * Latency hooks of the journal writer, for the metrics stage to record into histograms. Called on the writer
 * thread after each event: implementations must be cheap and allocation-free (e.g. HdrHistogram recorders).
 */
public interface JournalObserver {
    /** Observer that ignores everything. */
    JournalObserver NONE = new JournalObserver() {
    };

    /** One message's ACCEPTED and QUEUED records were appended (not yet synced). */
    default void onAppend(long appendNanos, int bodyBytes) {
    }

    /** One group commit's sync returned; {@code batchSize} messages and {@code outcomes} outcomes rode on it. */
    default void onSync(long syncNanos, int batchSize, int outcomes) {
    }

    /** A checkpoint of the pending set was written. */
    default void onCheckpoint(long nanos, long pendingMessages, long pendingRecipients) {
    }
}
