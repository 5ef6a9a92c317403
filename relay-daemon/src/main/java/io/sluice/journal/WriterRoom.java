package io.sluice.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk room for the journal writer's appends, asked for before anything is written ({@link SpaceReservation} per
 * queue): a message needs room for its ACCEPTED record in {@code bodies/} and its QUEUED in {@code state/}; a read
 * of the outcome ring buffer for its largest possible records; a checkpoint for a generous estimate of its size.
 * When the disk has none, the message is refused ({@code 452 4.3.1}) and outcomes and checkpoints wait, instead of
 * a fault on a mapped page stopping the writer. Refusals are logged at 1, 2, 4, ... so a full disk does not flood
 * the log. Threading: the journal writer thread.
 */
final class WriterRoom implements AutoCloseable {
    /** Largest state record one outcome ring-buffer message can become (a deferral with its reply text). */
    static final long MAX_NOTICE_RECORD_BYTES = 640;

    private static final Logger LOG = LoggerFactory.getLogger(WriterRoom.class);

    private final SpaceReservation bodies;
    private final SpaceReservation state;
    private long refusals;

    WriterRoom(Journal journal) {
        this.bodies = new SpaceReservation("bodies", journal.bodies(), journal.freeSpace());
        this.state = new SpaceReservation("state", journal.state(), journal.freeSpace());
    }

    /**
     * Room for one message.
     *
     * @throws JournalFullException when there is none (logged here)
     */
    void forMessage(ExcerptAppender bodiesAppender, long recordBytes, ExcerptAppender stateAppender,
                    int recipientBlockBytes) {
        try {
            bodies.ensure(bodiesAppender, recordBytes);
            state.ensure(stateAppender, QueuedDescriptor.HEADER_LENGTH + recipientBlockBytes);
        } catch (JournalFullException e) {
            refused(e);
            throw e;
        }
    }

    /** Whether {@code notices} outcome or deferral records fit in {@code state/} now. */
    boolean forOutcomes(ExcerptAppender stateAppender, int notices) {
        try {
            state.ensure(stateAppender, notices * MAX_NOTICE_RECORD_BYTES);
            return true;
        } catch (JournalFullException e) {
            refused(e);
            return false;
        }
    }

    /**
     * Room for a checkpoint of the pending set's size.
     *
     * @throws JournalFullException when there is none (logged here)
     */
    void forCheckpoint(ExcerptAppender stateAppender, long messages, long recipients) {
        try {
            state.ensure(stateAppender, 4096 + 128 * messages + 16 * recipients);
        } catch (JournalFullException e) {
            refused(e);
            throw e;
        }
    }

    private void refused(JournalFullException e) {
        if (Long.bitCount(++refusals) == 1) {
            LOG.warn("journal disk full, writes refused ({} times so far): {}", refusals, e.getMessage());
        }
    }

    @Override
    public void close() {
        bodies.close();
        state.close();
    }
}
