package io.sluice.bounce;

import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.BodiesReader;
import io.sluice.journal.BodyConsumer;
import io.sluice.journal.Journal;
import io.sluice.journal.MessageIds;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the parts of an original message a DSN needs (sender, arrival time, header section) from {@code bodies/}.
 *
 * <p>Two reads per message: the envelope first, then the body, keeping only its first
 * {@link OriginalHeaders#MAX_BYTES} + 1 octets (enough for {@link OriginalHeaders} to see whether it had to cut).
 * So an unreadable body still gives the sender (the DSN goes out without the original headers), and only an
 * unreadable envelope, or a record that is not the message asked for, gives null.
 *
 * <p>Threading: one thread (the DSN stage's). The {@link BodiesReader} is opened on first use, on the thread that
 * uses it, because a Chronicle tailer belongs to one thread. Reading faults in the body's mapped pages, which is
 * why this never runs on the scheduler thread or a Netty event loop.
 */
final class OriginalReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginalReader.class);
    private static final byte[] NO_HEADERS = new byte[0];

    private final Journal journal;
    private final AcceptedRecord record = new AcceptedRecord();
    private final HeaderCapture capture = new HeaderCapture();
    private BodiesReader reader;

    OriginalReader(Journal journal) {
        this.journal = journal;
    }

    /** The original of {@code messageId} at {@code bodiesIndex}; null when its envelope cannot be read. */
    Original read(long messageId, long bodiesIndex) {
        try {
            if (!reader().read(messageId, bodiesIndex, record, null)) { // follows compaction's relocations
                LOG.warn("message {} is not at bodies index 0x{}", MessageIds.format(messageId),
                        Long.toHexString(bodiesIndex));
                return null;
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the envelope of message {}", MessageIds.format(messageId), e);
            return null;
        }
        String sender = record.sender();
        long receivedAt = record.receivedAtMillis();
        byte[] headers = NO_HEADERS;
        try {
            capture.reset();
            if (reader.read(messageId, bodiesIndex, record, capture)) {
                headers = OriginalHeaders.of(capture.captured());
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the body of message {}; its DSN goes without the original headers",
                    MessageIds.format(messageId), e);
        }
        return new Original(sender, receivedAt, headers);
    }

    /** When idle: frees the space of a deleted journal cycle the reader still maps. */
    void releaseDeleted() {
        if (reader != null) {
            reader.releaseDeleted();
        }
    }

    private BodiesReader reader() {
        if (reader == null) {
            reader = BodiesReader.open(journal);
        }
        return reader;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Keeps the first {@code MAX_BYTES + 1} octets of a body; reused. */
    private static final class HeaderCapture implements BodyConsumer {
        private final byte[] bytes = new byte[OriginalHeaders.MAX_BYTES + 1];
        private int length;

        void reset() {
            length = 0;
        }

        @Override
        public void accept(byte[] chunk, int offset, int n) {
            int take = Math.min(n, bytes.length - length);
            System.arraycopy(chunk, offset, bytes, length, take);
            length += take;
        }

        ByteBuffer captured() {
            return ByteBuffer.wrap(bytes, 0, length);
        }
    }
}
