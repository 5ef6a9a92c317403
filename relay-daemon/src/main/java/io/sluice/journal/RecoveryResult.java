package io.sluice.journal;

/**
 * What {@link Recovery#recover} rebuilt from {@code state/}, plus numbers for the startup log line.
 *
 * @param pending            the pending set; hand it to {@link JournalWriter#start}
 * @param highestMessageId   highest message id seen in {@code state/} (QUEUED ids and checkpoint headers), or -1
 * @param checkpointSequence sequence of the checkpoint recovery started from, 0 if none; the writer continues after
 * @param checkpointIndex    state index of that checkpoint's BEGIN record, or -1 when replayed from the start
 * @param recordsReplayed    state records applied after the checkpoint (or from the start)
 * @param ignoredOutcomes    OUTCOME and DEFERRED records for recipients that were not pending (duplicates, or a
 *                           DEFERRED that lost a race with the final outcome); expected 0
 * @param elapsedMillis      wall time of the recovery
 */
public record RecoveryResult(
        PendingSet pending,
        long highestMessageId,
        long checkpointSequence,
        long checkpointIndex,
        long recordsReplayed,
        long ignoredOutcomes,
        long elapsedMillis) {

    /** True if recovery started from a checkpoint rather than the first record. */
    public boolean fromCheckpoint() {
        return checkpointIndex >= 0;
    }

    @Override
    public String toString() {
        return "recovered " + pending.pendingMessages() + " pending messages (" + pending.pendingRecipients()
            + " recipients) in " + elapsedMillis + " ms: "
            + (fromCheckpoint() ? "checkpoint " + checkpointSequence + " + " : "full replay, ")
            + recordsReplayed + " records" + (ignoredOutcomes > 0 ? ", " + ignoredOutcomes + " ignored outcome/deferred records" : "");
    }
}
