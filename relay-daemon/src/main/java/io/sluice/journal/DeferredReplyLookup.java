package io.sluice.journal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The last temporary failure of each deferred recipient of one message, for the admin API's {@code inspect}: the
 * pending set keeps only the retry schedule, so this reads the newest DEFERRED record of each recipient back from
 * {@code state/} ({@link DeferredDescriptor}: reply code and text), newest first, with its own tailer.
 *
 * <p>Bounded ({@link StateBackwardScan}): stops when every wanted recipient is found, at the message's QUEUED record,
 * or after {@code maxRecords} records; a recipient whose DEFERRED is further back (or deleted by retention, or
 * compacted into a checkpoint) is not in the answer. Reads only; safe beside the writer; one call per thread at a
 * time. Keep it off event loops (it may touch cold pages).
 */
public final class DeferredReplyLookup {
    /** One recipient's last temporary failure: reply code (0 when Sluice decided it) and text. */
    public record LastReply(int code, String text) {
    }

    private DeferredReplyLookup() {
    }

    /**
     * @param wanted     how many recipients of the message are deferred (the search stops when all are found)
     * @param maxRecords most {@code state/} records to read
     * @return recipient index to its newest DEFERRED's reply, for those found
     */
    public static Map<Integer, LastReply> find(Journal journal, long messageId, int wanted, int maxRecords) {
        Map<Integer, LastReply> found = new HashMap<>();
        if (wanted <= 0) {
            return found;
        }
        StateBackwardScan.ofMessage(journal, messageId, maxRecords, 0, (type, b, s) -> {
            if (type == RecordHeader.TYPE_DEFERRED && b.readRemaining() >= DeferredDescriptor.HEADER_LENGTH
                    && b.readLong(s + DeferredDescriptor.MESSAGE_ID_OFFSET) == messageId) {
                int index = b.readUnsignedShort(s + DeferredDescriptor.RECIPIENT_INDEX_OFFSET);
                if (!found.containsKey(index)) { // newest first: the first seen is the last written
                    int length = (int) Math.max(0, Math.min(
                            b.readUnsignedShort(s + DeferredDescriptor.REPLY_TEXT_LENGTH_OFFSET),
                            b.readLimit() - s - DeferredDescriptor.REPLY_TEXT_OFFSET));
                    byte[] text = new byte[length];
                    b.read(s + DeferredDescriptor.REPLY_TEXT_OFFSET, text, 0, length);
                    int code = b.readUnsignedShort(s + DeferredDescriptor.REPLY_CODE_OFFSET);
                    found.put(index, new LastReply(code, new String(text, StandardCharsets.UTF_8)));
                }
            }
            return found.size() >= wanted;
        });
        return found;
    }
}
