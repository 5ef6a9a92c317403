package io.sluice.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the writer's outcome ring-buffer messages into {@code state/} records: an outcome into an OUTCOME
 * ({@link OutcomeDescriptor}) and a deferral into a DEFERRED ({@link DeferredDescriptor}), each only for a recipient
 * that is still pending, updating the {@link PendingSet} (and telling the {@link BodiesCompactor} when a message
 * leaves it), and queues a notice per message ({@link StateNotices}) for after the group commit.
 *
 * <p>Ring layouts: see {@link JournalWriterAgent#OUTCOME_MSG_LENGTH} and
 * {@link JournalWriterAgent#DEFERRED_MSG_HEADER}.
 * Threading: the journal writer thread only. Allocation: none. Failures: an append error drops that record (logged,
 * reported as not recorded); once {@link #writerFailed} is set nothing is appended and every notice says so.
 */
final class OutcomeRecorder implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final PendingSet pending;
    private final BodiesCompactor compactor;
    private final StateNotices notices;
    private ExcerptAppender stateAppender;
    private int appended;
    /** Set by the writer once it failed (and while it closes with no room on disk): nothing is appended. */
    boolean writerFailed;

    OutcomeRecorder(PendingSet pending, BodiesCompactor compactor, StateNotices notices) {
        this.pending = pending;
        this.compactor = compactor;
        this.notices = notices;
    }

    /** Call on the writer thread once its appender exists. */
    void start(ExcerptAppender appender) {
        this.stateAppender = appender;
    }

    /** Records appended since the last call. */
    int takeAppended() {
        int n = appended;
        appended = 0;
        return n;
    }

    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (msgTypeId == JournalWriterAgent.DEFERRED_MSG_TYPE) {
            onDeferred(buffer, index, length);
        } else {
            onOutcome(buffer, index);
        }
    }

    private void onDeferred(MutableDirectBuffer buffer, int index, int length) {
        long id = buffer.getLong(index);
        long nextDue = buffer.getLong(index + 8);
        int recipient = buffer.getInt(index + 16);
        int attempts = buffer.getInt(index + 20);
        int codeAndReason = buffer.getInt(index + 24);
        int replyCode = codeAndReason & 0xffff;
        int reason = codeAndReason >>> 16;
        int mxLength = buffer.getInt(index + 28);
        boolean recorded = false;
        if (!writerFailed && pending.isPending(id, recipient)) {
            try {
                try (DocumentContext dc = stateAppender.writingDocument()) {
                    try {
                        StateEncoder.writeDeferred(dc.wire().bytes(), id, recipient, attempts, nextDue, replyCode,
                            buffer, index + JournalWriterAgent.DEFERRED_MSG_HEADER,
                            length - JournalWriterAgent.DEFERRED_MSG_HEADER - mxLength, mxLength, reason);
                    } catch (RuntimeException e) {
                        dc.rollbackOnClose();
                        throw e;
                    }
                }
                pending.defer(id, recipient, attempts, nextDue);
                appended++;
                recorded = true;
            } catch (RuntimeException e) {
                LOG.error("appending deferral of {} recipient {} failed", MessageIds.format(id), recipient, e);
            }
        }
        notices.deferral(id, recipient, attempts, nextDue, recorded);
    }

    private void onOutcome(MutableDirectBuffer buffer, int index) {
        long id = buffer.getLong(index);
        long time = buffer.getLong(index + 8);
        int recipient = buffer.getInt(index + 16);
        int codeAndReason = buffer.getInt(index + 20);
        OutcomeCode code = OutcomeCode.fromCode(codeAndReason & 0xff);
        int reason = codeAndReason >>> 8;
        boolean recorded = false;
        PendingMessage m = pending.get(id);
        if (!writerFailed && m != null && m.isPending(recipient)) {
            try {
                try (DocumentContext dc = stateAppender.writingDocument()) {
                    try {
                        StateEncoder.writeOutcome(dc.wire().bytes(), id, recipient, code.code(), reason, time);
                    } catch (RuntimeException e) {
                        dc.rollbackOnClose();
                        throw e;
                    }
                }
                pending.complete(id, recipient);
                if (m.pendingCount() == 0) {
                    compactor.removed(id, m.bodiesIndex());
                }
                appended++;
                recorded = true;
            } catch (RuntimeException e) {
                LOG.error("appending outcome of {} recipient {} failed", MessageIds.format(id), recipient, e);
            }
        }
        notices.outcome(id, recipient, code, recorded);
    }
}
