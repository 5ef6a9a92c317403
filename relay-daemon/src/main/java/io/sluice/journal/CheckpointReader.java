package io.sluice.journal;

import static io.sluice.journal.CheckpointDescriptor.BEGIN_HIGHEST_ID_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.BEGIN_MESSAGES_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.BEGIN_RECIPIENTS_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.END_MESSAGES_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.END_RECIPIENTS_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_BLOCK_LENGTH_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_BODIES_INDEX_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_FLAGS_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_MESSAGE_ID_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_RECEIVED_AT_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.ENTRY_RECIPIENT_COUNT_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.PART_ENTRIES_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.PART_ENTRY_COUNT_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.SEQUENCE_OFFSET;

import io.sluice.model.RouteInputs;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Loads one checkpoint (BEGIN, PARTs, END; layout: {@link CheckpointDescriptor}, versions 1 to 3) into a
 * {@link PendingSet}, fed
 * one record at a time in order, and cross-checks sequence numbers and counts. Throws
 * {@link Recovery.CheckpointMismatch} when they disagree, so recovery falls back to a full replay.
 * Single-threaded: one instance per checkpoint.
 */
final class CheckpointReader {
    private final PendingSet pending;
    private final long sequence;
    private boolean begun;
    private boolean complete;
    private long highestIdIssued = -1;
    private long expectedMessages;
    private long expectedRecipients;
    private long entries;

    CheckpointReader(PendingSet pending, long sequence) {
        this.pending = pending;
        this.sequence = sequence;
    }

    boolean complete() {
        return complete;
    }

    long highestIdIssued() {
        return highestIdIssued;
    }

    void read(Bytes<?> b, long index) {
        long start = b.readPosition();
        int type = b.readUnsignedByte(start + RecordHeader.TYPE_OFFSET);
        int version = b.readUnsignedByte(start + RecordHeader.VERSION_OFFSET);
        RecordHeader.checkVersion(type, version, index);
        if (b.readLong(start + SEQUENCE_OFFSET) != sequence) {
            throw new Recovery.CheckpointMismatch("record 0x" + Long.toHexString(index) + " is from another checkpoint");
        }
        switch (type) {
            case RecordHeader.TYPE_CHECKPOINT_BEGIN -> {
                begun = true;
                highestIdIssued = b.readLong(start + BEGIN_HIGHEST_ID_OFFSET);
                expectedMessages = b.readLong(start + BEGIN_MESSAGES_OFFSET);
                expectedRecipients = b.readLong(start + BEGIN_RECIPIENTS_OFFSET);
            }
            case RecordHeader.TYPE_CHECKPOINT_PART -> {
                requireBegun(index);
                readPart(b, start, index, version);
            }
            case RecordHeader.TYPE_CHECKPOINT_END -> {
                requireBegun(index);
                if (b.readLong(start + END_MESSAGES_OFFSET) != expectedMessages
                    || b.readLong(start + END_RECIPIENTS_OFFSET) != expectedRecipients
                    || entries != expectedMessages
                    || pending.pendingMessages() != expectedMessages
                    || pending.pendingRecipients() != expectedRecipients) {
                    throw new Recovery.CheckpointMismatch("counts disagree: header " + expectedMessages + "/"
                        + expectedRecipients + ", loaded " + pending.pendingMessages() + "/" + pending.pendingRecipients());
                }
                complete = true;
            }
            default -> throw new Recovery.CheckpointMismatch(
                String.format("record type 0x%02x at 0x%x inside a checkpoint", type, index));
        }
    }

    private void requireBegun(long index) {
        if (!begun) {
            throw new Recovery.CheckpointMismatch("record 0x" + Long.toHexString(index) + " before BEGIN");
        }
    }

    private void readPart(Bytes<?> b, long start, long index, int version) {
        int count = b.readInt(start + PART_ENTRY_COUNT_OFFSET);
        long pos = start + PART_ENTRIES_OFFSET;
        long limit = b.readLimit();
        int bitmapOffset = CheckpointDescriptor.entryBitmapOffset(version);
        for (int i = 0; i < count; i++) {
            if (pos + bitmapOffset > limit) {
                throw new JournalFormatException("checkpoint part at 0x" + Long.toHexString(index) + " is truncated");
            }
            long id = b.readLong(pos + ENTRY_MESSAGE_ID_OFFSET);
            long bodiesIndex = b.readLong(pos + ENTRY_BODIES_INDEX_OFFSET);
            int recipients = b.readUnsignedShort(pos + ENTRY_RECIPIENT_COUNT_OFFSET);
            int blockLength = b.readInt(pos + ENTRY_BLOCK_LENGTH_OFFSET);
            long receivedAt = version >= 3
                ? b.readLong(pos + ENTRY_RECEIVED_AT_OFFSET) : MessageIds.timeFloorMillis(id);
            int flags = version >= 2 ? b.readUnsignedShort(pos + ENTRY_FLAGS_OFFSET) : 0;
            boolean hasRetries = (flags & CheckpointDescriptor.ENTRY_FLAG_RETRIES) != 0;
            boolean hasRoute = version >= 4 && (flags & CheckpointDescriptor.ENTRY_FLAG_ROUTE) != 0;
            int words = CheckpointDescriptor.bitmapWords(recipients);
            long blockOffset = pos + bitmapOffset + 8L * words + (hasRetries ? 8L * recipients : 0);
            if (blockOffset > limit) {
                throw new JournalFormatException("checkpoint part at 0x" + Long.toHexString(index) + " is truncated");
            }
            long[] bitmap = new long[words];
            for (int w = 0; w < words; w++) {
                bitmap[w] = b.readLong(pos + bitmapOffset + 8L * w);
            }
            long[] retryWords = null;
            if (hasRetries) {
                retryWords = new long[recipients];
                for (int r = 0; r < recipients; r++) {
                    retryWords[r] = b.readLong(pos + bitmapOffset + 8L * (words + r));
                }
            }
            byte[] block = StateReplay.readBlock(b, blockOffset, blockLength, recipients, index);
            pos = blockOffset + blockLength;
            RouteInputs inputs = RouteInputs.UNKNOWN;
            if (hasRoute) {
                b.readPosition(pos);
                inputs = RouteInputsField.read(b, RouteInputsField.fieldsOfCheckpoint(version));
                pos = b.readPosition();
            }
            if (!pending.restore(id, bodiesIndex, receivedAt, block, recipients, bitmap, retryWords, inputs)) {
                throw new Recovery.CheckpointMismatch("message " + MessageIds.format(id) + " appears twice");
            }
            highestIdIssued = Math.max(highestIdIssued, id);
            entries++;
        }
    }
}
