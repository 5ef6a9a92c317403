package io.sluice.journal;

import java.util.HashMap;
import java.util.Map;

/**
 * Which final outcome (delivered, bounced, expired, suppressed) the recipients of one message got, for the admin
 * API's {@code inspect}: the pending set only keeps that a recipient is final, so this reads the OUTCOME records
 * back from {@code state/}, newest first, with its own tailer.
 *
 * <p>Bounded ({@link StateBackwardScan}): it stops when every wanted recipient is found, at the message's QUEUED
 * record, or after {@code maxRecords} records, so a recipient whose OUTCOME is further back, or already deleted by
 * retention, is simply not in the answer. Reads only; safe beside the writer; keep it off event loops.
 */
public final class OutcomeLookup {
    private OutcomeLookup() {
    }

    /**
     * @param wanted     how many recipients of the message are final (the search stops when all are found)
     * @param maxRecords most {@code state/} records to read
     * @return recipient index to outcome, for those found
     */
    public static Map<Integer, OutcomeCode> find(Journal journal, long messageId, int wanted, int maxRecords) {
        Map<Integer, OutcomeCode> found = new HashMap<>();
        if (wanted <= 0) {
            return found;
        }
        StateBackwardScan.ofMessage(journal, messageId, maxRecords, OutcomeDescriptor.LENGTH, (type, b, s) -> {
            if (type == RecordHeader.TYPE_OUTCOME && b.readLong(s + OutcomeDescriptor.MESSAGE_ID_OFFSET) == messageId) {
                int code = b.readUnsignedByte(s + OutcomeDescriptor.OUTCOME_CODE_OFFSET);
                try {
                    found.put(b.readUnsignedShort(s + OutcomeDescriptor.RECIPIENT_INDEX_OFFSET),
                        OutcomeCode.fromCode(code));
                } catch (IllegalArgumentException e) {
                    // a code this build does not know: leave that recipient as plain "final"
                }
            }
            return found.size() >= wanted;
        });
        return found;
    }
}
