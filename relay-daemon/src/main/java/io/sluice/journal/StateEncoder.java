package io.sluice.journal;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Writes the small {@code state/} records QUEUED ({@link QueuedDescriptor}) and OUTCOME
 * ({@link OutcomeDescriptor}) into a Chronicle excerpt. No allocation; stateless.
 */
final class StateEncoder {
    private StateEncoder() {
    }

    static void writeQueued(Bytes<?> out, long messageId, long bodiesIndex, int recipientCount, byte[] block) {
        out.writeUnsignedByte(RecordHeader.TYPE_QUEUED);
        out.writeUnsignedByte(RecordHeader.VERSION);
        out.writeUnsignedShort(recipientCount);
        out.writeInt(block.length);
        out.writeLong(messageId);
        out.writeLong(bodiesIndex);
        out.write(block);
    }

    static void writeOutcome(Bytes<?> out, long messageId, int recipientIndex, int outcomeCode, long timeMillis) {
        out.writeUnsignedByte(RecordHeader.TYPE_OUTCOME);
        out.writeUnsignedByte(RecordHeader.VERSION);
        out.writeUnsignedShort(recipientIndex);
        out.writeUnsignedByte(outcomeCode);
        out.writeUnsignedByte(0);
        out.writeUnsignedShort(0);
        out.writeLong(messageId);
        out.writeLong(timeMillis);
    }
}
