package io.sluice.journal;

import io.sluice.model.RouteInputs;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the small {@code state/} records QUEUED ({@link QueuedDescriptor}), OUTCOME ({@link OutcomeDescriptor}),
 * DEFERRED ({@link DeferredDescriptor}) and RELOCATED ({@link RelocatedDescriptor}) into a Chronicle excerpt. No
 * allocation (except the String overload of
 * {@link #writeDeferred}, for tools and tests); stateless.
 */
final class StateEncoder {
    private StateEncoder() {
    }

    static void writeQueued(Bytes<?> out, long messageId, long bodiesIndex, long receivedAtMillis, int recipientCount,
                            byte[] block, RouteInputs routeInputs) {
        out.writeUnsignedByte(RecordHeader.TYPE_QUEUED);
        out.writeUnsignedByte(RecordHeader.QUEUED_VERSION);
        out.writeUnsignedShort(recipientCount);
        out.writeInt(block.length);
        out.writeLong(messageId);
        out.writeLong(bodiesIndex);
        out.writeLong(receivedAtMillis);
        out.write(block);
        RouteInputsField.write(out, routeInputs);
    }

    static void writeRelocated(Bytes<?> out, long messageId, long newBodiesIndex, long oldBodiesIndex) {
        out.writeUnsignedByte(RecordHeader.TYPE_RELOCATED);
        out.writeUnsignedByte(RecordHeader.VERSION);
        out.writeUnsignedShort(0);
        out.writeInt(0);
        out.writeLong(messageId);
        out.writeLong(newBodiesIndex);
        out.writeLong(oldBodiesIndex);
    }

    static void writeOutcome(Bytes<?> out, long messageId, int recipientIndex, int outcomeCode, int reasonCode,
                             long timeMillis) {
        out.writeUnsignedByte(RecordHeader.TYPE_OUTCOME);
        out.writeUnsignedByte(RecordHeader.OUTCOME_VERSION);
        out.writeUnsignedShort(recipientIndex);
        out.writeUnsignedByte(outcomeCode);
        out.writeUnsignedByte(reasonCode);
        out.writeUnsignedShort(0);
        out.writeLong(messageId);
        out.writeLong(timeMillis);
    }

    /**
     * Writes a DEFERRED whose reply text is already capped UTF-8 in {@code text} at {@code textOffset}, followed in
     * the same buffer by the MX host's {@code mxLength} bytes.
     */
    static void writeDeferred(Bytes<?> out, long messageId, int recipientIndex, int attempts, long nextDueMillis,
                              int replyCode, DirectBuffer text, int textOffset, int textLength, int mxLength,
                              int reasonCode) {
        out.writeUnsignedByte(RecordHeader.TYPE_DEFERRED);
        out.writeUnsignedByte(RecordHeader.DEFERRED_VERSION);
        out.writeUnsignedShort(recipientIndex);
        out.writeInt(attempts);
        out.writeLong(messageId);
        out.writeLong(nextDueMillis);
        out.writeUnsignedShort(replyCode);
        out.writeUnsignedShort(textLength);
        for (int i = 0; i < textLength; i++) {
            out.writeByte(text.getByte(textOffset + i));
        }
        out.writeUnsignedByte(mxLength);
        for (int i = 0; i < mxLength; i++) {
            out.writeByte(text.getByte(textOffset + textLength + i));
        }
        out.writeUnsignedByte(reasonCode);
    }

    /**
     * Writes a DEFERRED, capping {@code replyText} to {@link DeferredDescriptor#MAX_REPLY_TEXT_BYTES} and
     * {@code mxHost} (null: none) to {@link DeferredDescriptor#MAX_MX_HOST_BYTES}.
     */
    static void writeDeferred(Bytes<?> out, long messageId, int recipientIndex, int attempts, long nextDueMillis,
                              int replyCode, String replyText, String mxHost, int reasonCode) {
        UnsafeBuffer text = new UnsafeBuffer(new byte[DeferredDescriptor.MAX_REPLY_TEXT_BYTES
            + DeferredDescriptor.MAX_MX_HOST_BYTES]);
        int length = CappedUtf8.write(replyText, DeferredDescriptor.MAX_REPLY_TEXT_BYTES, text, 0);
        int mx = CappedUtf8.write(mxHost, DeferredDescriptor.MAX_MX_HOST_BYTES, text, length);
        writeDeferred(out, messageId, recipientIndex, attempts, nextDueMillis, replyCode, text, 0, length, mx,
                reasonCode);
    }
}
