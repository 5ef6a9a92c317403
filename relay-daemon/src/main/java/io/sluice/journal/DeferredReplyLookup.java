package io.sluice.journal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The last temporary failure of deferred recipients, for the admin API's {@code inspect} ({@link #find}, one message)
 * and for expiry DSNs after a restart ({@link #findMany}, many messages in one walk): the pending set keeps only the
 * retry schedule, so this reads the newest DEFERRED record of each recipient back from {@code state/}
 * ({@link DeferredDescriptor}: reply code, text, MX host), newest first, with its own tailer.
 *
 * <p>Bounded ({@link StateBackwardScan}): stops when every wanted recipient is found, at the message's QUEUED record
 * (for {@link #findMany}: once every wanted message's QUEUED record is passed), or after {@code maxRecords} records;
 * a recipient whose DEFERRED is further back (or deleted by
 * retention, or compacted into a checkpoint) is not in the answer. Reads only; safe beside the writer; one call per
 * thread at a time. Keep it off event loops (it may touch cold pages).
 */
public final class DeferredReplyLookup {
    /**
     * One recipient's last temporary failure: reply code (0 when Sluice decided it), text, and the MX host that
     * replied (null when Sluice decided it or the record predates version 2).
     */
    public record LastReply(int code, String text, String mxHost) {
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
                    found.put(index, decode(b, s));
                }
            }
            return found.size() >= wanted;
        });
        return found;
    }

    /**
     * The newest DEFERRED reply of each wanted recipient, over many messages in one backward walk.
     *
     * @param wanted     message id to the recipient indexes wanted
     * @param maxRecords most {@code state/} records to read
     * @return message id to (recipient index to reply), for those found; a message none of whose recipients was
     *         found is absent
     */
    public static Map<Long, Map<Integer, LastReply>> findMany(Journal journal, Map<Long, Set<Integer>> wanted,
                                                              int maxRecords) {
        Map<Long, Map<Integer, LastReply>> found = new HashMap<>();
        int total = wanted.values().stream().mapToInt(Set::size).sum();
        if (total == 0) {
            return found;
        }
        Map<Long, Set<Integer>> left = new HashMap<>();
        wanted.forEach((id, indexes) -> left.put(id, new java.util.HashSet<>(indexes)));
        int[] missing = {total};
        StateBackwardScan.all(journal, maxRecords, 0, (type, b, s) -> {
            if (type == RecordHeader.TYPE_DEFERRED && b.readRemaining() >= DeferredDescriptor.HEADER_LENGTH) {
                long id = b.readLong(s + DeferredDescriptor.MESSAGE_ID_OFFSET);
                Set<Integer> indexes = left.get(id);
                int index = b.readUnsignedShort(s + DeferredDescriptor.RECIPIENT_INDEX_OFFSET);
                if (indexes != null && indexes.remove(index)) { // newest first: the first seen wins
                    found.computeIfAbsent(id, k -> new HashMap<>()).put(index, decode(b, s));
                    missing[0]--;
                }
            } else if (type == RecordHeader.TYPE_QUEUED) {
                Set<Integer> indexes = left.remove(b.readLong(s + QueuedDescriptor.MESSAGE_ID_OFFSET));
                if (indexes != null) {
                    missing[0] -= indexes.size(); // nothing of this message is older than its QUEUED
                }
            }
            return missing[0] == 0;
        });
        return found;
    }

    private static LastReply decode(Bytes<?> b, long s) {
        int length = (int) Math.max(0, Math.min(b.readUnsignedShort(s + DeferredDescriptor.REPLY_TEXT_LENGTH_OFFSET),
                b.readLimit() - s - DeferredDescriptor.REPLY_TEXT_OFFSET));
        byte[] text = new byte[length];
        b.read(s + DeferredDescriptor.REPLY_TEXT_OFFSET, text, 0, length);
        int code = b.readUnsignedShort(s + DeferredDescriptor.REPLY_CODE_OFFSET);
        int version = b.readUnsignedByte(s + RecordHeader.VERSION_OFFSET);
        return new LastReply(code, new String(text, StandardCharsets.UTF_8), DeferredDescriptor.mxHost(b, s, version));
    }
}
