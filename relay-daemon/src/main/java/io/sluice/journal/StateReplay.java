package io.sluice.journal;

import static io.sluice.journal.RecordHeader.TYPE_CHECKPOINT_BEGIN;
import static io.sluice.journal.RecordHeader.TYPE_CHECKPOINT_END;
import static io.sluice.journal.RecordHeader.TYPE_CHECKPOINT_PART;
import static io.sluice.journal.RecordHeader.TYPE_DEFERRED;
import static io.sluice.journal.RecordHeader.TYPE_OUTCOME;
import static io.sluice.journal.RecordHeader.TYPE_QUEUED;
import static io.sluice.journal.RecordHeader.TYPE_RELOCATED;

import io.sluice.model.RouteInputs;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Applies {@code state/} records to a {@link PendingSet}: QUEUED adds a message, OUTCOME completes a recipient,
 * DEFERRED sets a recipient's retry schedule (attempts, next due), RELOCATED moves a message's bodies index,
 * checkpoint records are skipped (they change nothing). An unknown record type or a newer version stops the replay
 * with {@link JournalFormatException}. Single-threaded: one instance per replay.
 */
final class StateReplay {
    final PendingSet pending;
    long highestMessageId = -1;
    long records;
    /** OUTCOME and DEFERRED records for recipients that were not pending. */
    long ignoredOutcomes;
    /** RELOCATED records applied to a pending message. */
    long relocations;

    StateReplay(PendingSet pending) {
        this.pending = pending;
    }

    /** Reads and applies records from the tailer's position to the end. */
    void applyRemaining(ExcerptTailer tailer) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return;
                }
                apply(dc.wire().bytes(), dc.index());
            }
        }
    }

    void apply(Bytes<?> b, long index) {
        long start = b.readPosition();
        int type = b.readUnsignedByte(start + RecordHeader.TYPE_OFFSET);
        int version = b.readUnsignedByte(start + RecordHeader.VERSION_OFFSET);
        RecordHeader.checkVersion(type, version, index);
        switch (type) {
            case TYPE_QUEUED -> applyQueued(b, start, index, version);
            case TYPE_RELOCATED -> applyRelocated(b, start);
            case TYPE_OUTCOME -> applyOutcome(b, start);
            case TYPE_DEFERRED -> applyDeferred(b, start);
            case TYPE_CHECKPOINT_BEGIN, TYPE_CHECKPOINT_PART, TYPE_CHECKPOINT_END -> {
                return;
            }
            default -> throw new JournalFormatException(
                String.format("unknown state record type 0x%02x at index 0x%x", type, index));
        }
        records++;
    }

    private void applyQueued(Bytes<?> b, long start, long index, int version) {
        int count = b.readUnsignedShort(start + QueuedDescriptor.RECIPIENT_COUNT_OFFSET);
        int blockLength = b.readInt(start + QueuedDescriptor.RECIPIENT_BLOCK_LENGTH_OFFSET);
        long id = b.readLong(start + QueuedDescriptor.MESSAGE_ID_OFFSET);
        long bodiesIndex = b.readLong(start + QueuedDescriptor.BODIES_INDEX_OFFSET);
        long receivedAt = version >= 2
            ? b.readLong(start + QueuedDescriptor.RECEIVED_AT_OFFSET) : MessageIds.timeFloorMillis(id);
        long blockStart = start + QueuedDescriptor.recipientBlockOffset(version);
        byte[] block = readBlock(b, blockStart, blockLength, count, index);
        RouteInputs inputs = RouteInputs.UNKNOWN;
        if (version >= 3) {
            b.readPosition(blockStart + blockLength);
            inputs = RouteInputsField.read(b, RouteInputsField.fieldsOfQueued(version));
        }
        pending.add(id, bodiesIndex, receivedAt, block, count, inputs);
        highestMessageId = Math.max(highestMessageId, id);
    }

    private void applyRelocated(Bytes<?> b, long start) {
        long id = b.readLong(start + RelocatedDescriptor.MESSAGE_ID_OFFSET);
        if (pending.relocate(id, b.readLong(start + RelocatedDescriptor.NEW_BODIES_INDEX_OFFSET))) {
            relocations++;
        }
    }

    private void applyOutcome(Bytes<?> b, long start) {
        int recipient = b.readUnsignedShort(start + OutcomeDescriptor.RECIPIENT_INDEX_OFFSET);
        long id = b.readLong(start + OutcomeDescriptor.MESSAGE_ID_OFFSET);
        if (!pending.complete(id, recipient)) {
            ignoredOutcomes++;
        }
    }

    private void applyDeferred(Bytes<?> b, long start) {
        int recipient = b.readUnsignedShort(start + DeferredDescriptor.RECIPIENT_INDEX_OFFSET);
        int attempts = b.readInt(start + DeferredDescriptor.ATTEMPTS_OFFSET);
        long id = b.readLong(start + DeferredDescriptor.MESSAGE_ID_OFFSET);
        long nextDue = b.readLong(start + DeferredDescriptor.NEXT_DUE_OFFSET);
        if (!pending.defer(id, recipient, attempts, nextDue)) {
            ignoredOutcomes++;
        }
    }

    /** Copies a recipient block at absolute {@code offset} and checks it holds {@code count} entries. */
    static byte[] readBlock(Bytes<?> b, long offset, int length, int count, long index) {
        if (length < 0 || offset + length > b.readLimit()) {
            throw new JournalFormatException(String.format("recipient block at index 0x%x overruns its record", index));
        }
        byte[] block = new byte[length];
        b.read(offset, block, 0, length);
        if (RecipientBlock.count(block) != count) {
            throw new JournalFormatException(String.format("recipient count mismatch at index 0x%x", index));
        }
        return block;
    }
}
