package io.sluice.journal;

/**
 * Completion of {@link JournalWriter#offerDeferred}, on the writer thread, after the group commit that carried the
 * DEFERRED record (with {@code journal.sync: batch}, after its sync returned). Must hand off and return quickly.
 * Exceptions are logged and otherwise ignored.
 */
@FunctionalInterface
public interface DeferredListener {
    /** Listener that ignores everything. */
    DeferredListener NONE = (id, recipient, attempts, nextDueMillis, recorded) -> { };

    /**
     * @param recorded true if the DEFERRED is now durable; false if it was dropped because the recipient was not
     *                 pending (already final, or unknown), or because the writer failed
     */
    void deferredRecorded(long messageId, int recipientIndex, int attempts, long nextDueMillis, boolean recorded);
}
