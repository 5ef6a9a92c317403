package io.sluice.journal;

import static io.sluice.journal.CheckpointDescriptor.PART_ENTRY_COUNT_OFFSET;
import static io.sluice.journal.CheckpointDescriptor.PART_TARGET_BYTES;

import io.sluice.model.RouteInputs;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Writes one snapshot of a {@link PendingSet} into {@code state/} as CHECKPOINT BEGIN, PARTs, END
 * (layout: {@link CheckpointDescriptor}).
 *
 * <p>Cost: proportional to the pending set (tens of milliseconds per million pending recipients); the writer
 * agent runs it between group commits, so it delays acknowledgements by that much once per
 * {@code journal.checkpoint_interval}. Not thread-safe: one instance per writer thread. On an exception the open
 * excerpt is rolled back and the snapshot stays without END, which recovery ignores.
 */
final class CheckpointWriter {
    private final Consumer<PendingMessage> entryWriter = this::writeEntry;
    private ExcerptAppender appender;
    private DocumentContext part;
    private long partStart;
    private int partEntries;
    private long sequence;
    private long entries;

    /**
     * Writes the snapshot and returns the state index of its BEGIN record.
     *
     * @param sequence      strictly increasing per journal (recovery reports the last one)
     * @param highestIdIssued seeds message ids after a restart even if nothing is pending
     */
    long write(ExcerptAppender appender, PendingSet pending, long sequence, long timeMillis, long highestIdIssued) {
        this.appender = appender;
        this.sequence = sequence;
        this.entries = 0;
        long messages = pending.pendingMessages();
        long recipients = pending.pendingRecipients();
        long beginIndex;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_BEGIN);
            b.writeUnsignedByte(RecordHeader.CHECKPOINT_VERSION);
            b.writeUnsignedShort(0);
            b.writeInt(0);
            b.writeLong(sequence);
            b.writeLong(timeMillis);
            b.writeLong(highestIdIssued);
            b.writeLong(messages);
            b.writeLong(recipients);
        }
        beginIndex = appender.lastIndexAppended();
        try {
            pending.forEach(entryWriter);
            closePart();
        } catch (RuntimeException e) {
            if (part != null) {
                part.rollbackOnClose();
                part.close();
                part = null;
            }
            throw e;
        }
        if (entries != messages) {
            throw new IllegalStateException("pending set changed while checkpointing: " + entries + " vs " + messages);
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_END);
            b.writeUnsignedByte(RecordHeader.CHECKPOINT_VERSION);
            b.writeUnsignedShort(0);
            b.writeInt(0);
            b.writeLong(sequence);
            b.writeLong(beginIndex);
            b.writeLong(messages);
            b.writeLong(recipients);
        }
        this.appender = null;
        return beginIndex;
    }

    private void writeEntry(PendingMessage m) {
        if (part == null) {
            part = appender.writingDocument();
            Bytes<?> b = part.wire().bytes();
            partStart = b.writePosition();
            partEntries = 0;
            b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_PART);
            b.writeUnsignedByte(RecordHeader.CHECKPOINT_VERSION);
            b.writeUnsignedShort(0);
            b.writeInt(0); // entry count, patched in closePart()
            b.writeLong(sequence);
        }
        Bytes<?> b = part.wire().bytes();
        int count = m.recipientCount();
        byte[] block = m.recipientBlock();
        b.writeLong(m.id());
        b.writeLong(m.bodiesIndex());
        boolean retries = m.hasRetries();
        boolean route = !m.routeInputs().equals(RouteInputs.UNKNOWN);
        b.writeUnsignedShort(count);
        b.writeUnsignedShort((retries ? CheckpointDescriptor.ENTRY_FLAG_RETRIES : 0)
                | (route ? CheckpointDescriptor.ENTRY_FLAG_ROUTE : 0));
        b.writeInt(block.length);
        b.writeLong(m.receivedAtMillis());
        for (int i = 0; i < CheckpointDescriptor.bitmapWords(count); i++) {
            b.writeLong(m.word(i));
        }
        if (retries) {
            for (int i = 0; i < count; i++) {
                b.writeLong(m.retryWord(i));
            }
        }
        b.write(block);
        if (route) {
            RouteInputsField.write(b, m.routeInputs());
        }
        partEntries++;
        entries++;
        if (b.writePosition() - partStart >= PART_TARGET_BYTES) {
            closePart();
        }
    }

    private void closePart() {
        if (part == null) {
            return;
        }
        part.wire().bytes().writeInt(partStart + PART_ENTRY_COUNT_OFFSET, partEntries);
        part.close();
        part = null;
    }
}
