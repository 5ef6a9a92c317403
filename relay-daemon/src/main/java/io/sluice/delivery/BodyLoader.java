package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.BodiesReader;
import io.sluice.journal.BodyConsumer;
import io.sluice.journal.Journal;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.smtp.codec.LineBytes;

/**
 * Loads what a {@link DeliveryTask} does not carry from the message's ACCEPTED record (docs/architecture.md
 * "Threading": bodies are read off the event loops): the envelope sender and the body, copied into a direct buffer from
 * the given allocator (pooled in the daemon), as an {@link OutboundMessage} for the task's recipients.
 *
 * <p>The caller owns the returned message's body and must release it once the send has completed (or on any
 * path that does not send). {@code eightBit} is one pass over the copied body, eight octets at a time (any byte
 * above 0x7f; {@link LineBytes#anyHighBit}). The message needs
 * SMTPUTF8 when its client declared it on MAIL (journalled) and its header section carries UTF-8
 * ({@link InternationalHeaders}); a non-ASCII local part in the envelope also needs it
 * ({@link OutboundMessage#requiresSmtpUtf8()}).
 *
 * <p>Threading: one thread only (the body reader thread): the {@link BodiesReader} and the record are reused.
 * Failure: {@link BodyUnavailableException} when the task's message has no ACCEPTED record, at its index or where
 * compaction moved it ({@link BodiesReader#read(long, long, io.sluice.journal.AcceptedRecord, BodyConsumer)});
 * runtime exceptions of the journal propagate (the buffer is released first).
 */
final class BodyLoader implements AutoCloseable {
    private final BodiesReader reader;
    private final ByteBufAllocator allocator;
    private final AcceptedRecord record = new AcceptedRecord();
    private final Copier copier = new Copier();

    BodyLoader(Journal journal, ByteBufAllocator allocator) {
        this.reader = BodiesReader.open(journal);
        this.allocator = allocator;
    }

    OutboundMessage load(DeliveryTask task) throws BodyUnavailableException {
        // Envelope first (no body) to size the buffer exactly, then the body. By id: the journal's compactor may
        // have moved the message since the task captured its index.
        if (!reader.read(task.messageId(), task.bodiesIndex(), record, null)) {
            throw new BodyUnavailableException("no ACCEPTED record of message " + task.messageId() + " at index 0x"
                    + Long.toHexString(task.bodiesIndex()) + " or a relocated one");
        }
        ByteBuf body = allocator.directBuffer(Math.max(1, record.bodyLength()));
        try {
            copier.start(body);
            if (!reader.read(task.messageId(), task.bodiesIndex(), record, copier)) {
                throw new BodyUnavailableException("ACCEPTED record of message " + task.messageId()
                        + " vanished while reading");
            }
            boolean eightBit = LineBytes.anyHighBit(body, body.readerIndex(), body.writerIndex());
            boolean utf8Headers = record.smtpUtf8() && eightBit && InternationalHeaders.present(body);
            OutboundMessage message = OutboundMessage.of(record.sender(), task.recipients(), body, utf8Headers,
                    eightBit);
            copier.start(null);
            return message;
        } catch (BodyUnavailableException | RuntimeException e) {
            copier.start(null);
            body.release();
            throw e;
        }
    }

    /** When idle: frees the space of a deleted cycle this loader's reader still maps. */
    void releaseDeleted() {
        reader.releaseDeleted();
    }

    @Override
    public void close() {
        reader.close();
    }

    /** No usable ACCEPTED record for a task. */
    static final class BodyUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        BodyUnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Copies the body into the current buffer: in one piece straight from the journal's memory when the buffer has a
     * memory address, else in chunks. Reused for every message.
     */
    private static final class Copier implements BodyConsumer {
        private ByteBuf target;

        void start(ByteBuf buffer) {
            target = buffer;
        }

        /** The direct buffer's writable memory, so the journal copies the body there once (no chunk array). */
        @Override
        public long addressFor(int length) {
            target.ensureWritable(length);
            return target.hasMemoryAddress() ? target.memoryAddress() + target.writerIndex() : 0;
        }

        @Override
        public void copied(int length) {
            target.writerIndex(target.writerIndex() + length);
        }

        @Override
        public void accept(byte[] chunk, int offset, int length) {
            target.writeBytes(chunk, offset, length);
        }
    }
}
