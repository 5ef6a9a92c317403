package io.sluice.journal;

import java.util.HashMap;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Which final outcome (delivered, bounced, expired, suppressed) the recipients of one message got, for the admin
 * API's {@code inspect}: the pending set only keeps that a recipient is final, so this reads the OUTCOME records
 * back from {@code state/}, newest first, with its own tailer.
 *
 * <p>Bounded: it stops when every wanted recipient is found, at the message's QUEUED record (nothing of it is
 * older), or after {@code maxRecords} records (state records are 24 to about 600 bytes; 200,000 take tens of
 * milliseconds), so a recipient whose OUTCOME is further back, or already deleted by retention, is simply not in
 * the answer. Reads only; safe beside the writer; one call per thread at a time (its own tailer). Keep it off
 * event loops (it may touch cold pages). A cycle file deleted under it ends the search with what was found.
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
        try (ExcerptTailer tailer = journal.state().createTailer()) {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            for (int n = 0; n < maxRecords && found.size() < wanted; n++) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long s = b.readPosition();
                    if (b.readRemaining() < OutcomeDescriptor.LENGTH) {
                        continue;
                    }
                    int type = b.readUnsignedByte(s + RecordHeader.TYPE_OFFSET);
                    if (type == RecordHeader.TYPE_OUTCOME
                        && b.readLong(s + OutcomeDescriptor.MESSAGE_ID_OFFSET) == messageId) {
                        int code = b.readUnsignedByte(s + OutcomeDescriptor.OUTCOME_CODE_OFFSET);
                        try {
                            found.put(b.readUnsignedShort(s + OutcomeDescriptor.RECIPIENT_INDEX_OFFSET),
                                OutcomeCode.fromCode(code));
                        } catch (IllegalArgumentException e) {
                            // a code this build does not know: leave that recipient as plain "final"
                        }
                    } else if (type == RecordHeader.TYPE_QUEUED
                        && b.readLong(s + QueuedDescriptor.MESSAGE_ID_OFFSET) == messageId) {
                        break;
                    }
                }
            }
        } catch (IllegalStateException e) {
            // retention deleted a cycle file while we read it: answer with what was found
        }
        return found;
    }
}
