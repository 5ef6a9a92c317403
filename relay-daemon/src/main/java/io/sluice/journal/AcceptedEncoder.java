package io.sluice.journal;

import static io.sluice.journal.AcceptedDescriptor.FLAGS_LENGTH;
import static io.sluice.journal.AcceptedDescriptor.FLAG_SMTPUTF8;
import static io.sluice.journal.AcceptedDescriptor.HEADER_LENGTH;
import static io.sluice.journal.AcceptedDescriptor.STRING_PREFIXES_LENGTH;

import java.nio.ByteBuffer;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Writes ACCEPTED records (layout: {@link AcceptedDescriptor}) straight into a Chronicle excerpt.
 *
 * <p>Use: {@link #measure} validates one message and remembers its string lengths, then {@link #write} encodes
 * it; no allocation (strings are encoded char by char, the body is copied from the caller's buffer, whose position
 * is restored). One instance per writer thread; not thread-safe.
 */
final class AcceptedEncoder {
    private int listenerLength;
    private int clientLength;
    private int heloLength;
    private int authLength;
    private int senderLength;
    private int tagsLength;
    private int bodyOffset;

    /**
     * Checks {@code m} against the journal limits and returns the record length.
     *
     * @throws IllegalArgumentException naming the field that does not fit
     */
    long measure(AcceptedMessage m, byte[] recipientBlock, long maxRecordBytes) {
        listenerLength = Utf8Field.checkedLength(m.listener(), "listener name");
        clientLength = Utf8Field.checkedLength(m.clientAddress(), "client address");
        heloLength = Utf8Field.checkedLength(m.heloName(), "HELO name");
        authLength = Utf8Field.checkedLength(m.authIdentity(), "auth identity");
        senderLength = Utf8Field.checkedLength(m.sender(), "sender");
        tagsLength = Utf8Field.checkedLength(m.routingTags(), "routing tags");
        long offset = (long) HEADER_LENGTH + STRING_PREFIXES_LENGTH
            + listenerLength + clientLength + heloLength + authLength + senderLength + tagsLength
            + recipientBlock.length + FLAGS_LENGTH;
        long total = offset + m.body().remaining();
        if (total > maxRecordBytes) {
            throw new IllegalArgumentException("message of " + m.body().remaining() + " bytes makes a "
                + total + "-byte ACCEPTED record; the journal limit is " + maxRecordBytes
                + " (raise smtp.max_message_size so the bodies block size grows, or lower the message size)");
        }
        bodyOffset = (int) offset;
        return total;
    }

    /** Encodes the message last passed to {@link #measure}. */
    void write(Bytes<?> out, AcceptedMessage m, byte[] recipientBlock) {
        ByteBuffer body = m.body();
        int bodyLength = body.remaining();
        out.writeUnsignedByte(RecordHeader.TYPE_ACCEPTED);
        out.writeUnsignedByte(RecordHeader.ACCEPTED_VERSION);
        out.writeUnsignedShort(m.recipients().size());
        out.writeInt(bodyOffset);
        out.writeInt(bodyLength);
        out.writeInt(recipientBlock.length);
        out.writeLong(m.id());
        out.writeLong(m.receivedAtMillis());
        Utf8Field.write(out, m.listener(), listenerLength);
        Utf8Field.write(out, m.clientAddress(), clientLength);
        Utf8Field.write(out, m.heloName(), heloLength);
        Utf8Field.write(out, m.authIdentity(), authLength);
        Utf8Field.write(out, m.sender(), senderLength);
        Utf8Field.write(out, m.routingTags(), tagsLength);
        out.write(recipientBlock);
        out.writeUnsignedByte(m.smtpUtf8() ? FLAG_SMTPUTF8 : 0);
        int position = body.position();
        try {
            while (body.hasRemaining()) {
                int before = body.remaining();
                out.writeSome(body);
                if (body.remaining() == before) {
                    throw new IllegalStateException("journal excerpt full after "
                        + (bodyLength - before) + " of " + bodyLength + " body bytes");
                }
            }
        } finally {
            body.position(position);
        }
    }
}
