package io.sluice.journal;

/**
 * Completion of {@link JournalWriter#offerOutcome}, on the writer thread, after the group commit that carried the
 * OUTCOME record (with {@code journal.sync: batch}, after its sync returned). Must hand off and return quickly.
 */
@FunctionalInterface
public interface OutcomeListener {
    /** Listener that ignores everything. */
    OutcomeListener NONE = (id, recipient, outcome, recorded) -> { };

    /**
     * @param recorded true if the OUTCOME is now durable; false if it was dropped because the recipient was not
     *                 pending (already final, or unknown), or because the writer failed
     */
    void outcomeRecorded(long messageId, int recipientIndex, OutcomeCode outcome, boolean recorded);
}
