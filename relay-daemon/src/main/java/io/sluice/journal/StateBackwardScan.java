package io.sluice.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Walks {@code state/} backwards from its end, newest record first, over the records of one message, for the admin
 * API's look-ups ({@link OutcomeLookup}, {@link DeferredReplyLookup}): the pending set keeps only what delivery
 * needs, so what an operator asks beyond that is read back from the journal.
 *
 * <p>Bounded: it stops when the visitor says it has found everything, at the message's QUEUED record (nothing of
 * it is older), or after {@code maxRecords} records (state records are 24 to about 600 bytes; 200,000 take tens of
 * milliseconds). Reads only, with its own tailer: safe beside the writer; one call per thread at a time. Keep it
 * off event loops (it may touch cold pages). A cycle file deleted under it (retention) ends the walk.
 */
final class StateBackwardScan {
    /** Sees a record (its type, its bytes from {@code start}); returns true when nothing more is wanted. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(int type, Bytes<?> bytes, long start);
    }

    private StateBackwardScan() {
    }

    /** Hands {@code visitor} the records of {@code messageId} at least {@code minLength} bytes long, newest first. */
    static void ofMessage(Journal journal, long messageId, int maxRecords, int minLength, Visitor visitor) {
        all(journal, maxRecords, minLength, (type, b, s) -> {
            if (type == RecordHeader.TYPE_QUEUED) {
                return b.readLong(s + QueuedDescriptor.MESSAGE_ID_OFFSET) == messageId;
            }
            return visitor.visit(type, b, s);
        });
    }

    /**
     * Hands {@code visitor} every record at least {@code minLength} bytes long (and long enough to hold a message
     * id), newest first, until it returns true or {@code maxRecords} were read.
     */
    static void all(Journal journal, int maxRecords, int minLength, Visitor visitor) {
        try (ExcerptTailer tailer = journal.state().createTailer()) {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            for (int n = 0; n < maxRecords; n++) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long s = b.readPosition();
                    if (b.readRemaining() < Math.max(minLength, QueuedDescriptor.MESSAGE_ID_OFFSET + Long.BYTES)) {
                        continue;
                    }
                    if (visitor.visit(b.readUnsignedByte(s + RecordHeader.TYPE_OFFSET), b, s)) {
                        return;
                    }
                }
            }
        } catch (IllegalStateException e) {
            // retention deleted a cycle file while we read it: the visitor keeps what it found
        }
    }
}
