package io.sluice.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted messages of one group commit, in append order, with their {@code bodies/} indexes, until the commit
 * completes them: after the sync, each is told to the {@link QueuedListener} and then its {@link AppendCallback}
 * (the 250); if the sync failed, each callback hears the cause. Fixed capacity, preallocated: adding and
 * completing allocate nothing. Writer thread only; listener and callback exceptions are logged, never thrown.
 */
final class CommitBatch {
    private static final Logger LOG = LoggerFactory.getLogger(CommitBatch.class);

    private final AcceptedMessage[] messages;
    private final long[] bodiesIndexes;
    private final QueuedListener queuedListener;
    private int size;

    CommitBatch(int capacity, QueuedListener queuedListener) {
        this.messages = new AcceptedMessage[capacity];
        this.bodiesIndexes = new long[capacity];
        this.queuedListener = queuedListener;
    }

    boolean isFull() {
        return size == messages.length;
    }

    int size() {
        return size;
    }

    /** {@code m} was appended at {@code bodiesIndex} and waits for the commit. */
    void add(AcceptedMessage m, long bodiesIndex) {
        messages[size] = m;
        bodiesIndexes[size] = bodiesIndex;
        size++;
    }

    /** Completes every message: queued and acknowledged when {@code cause} is null, failed with it otherwise. */
    void complete(Throwable cause) {
        for (int i = 0; i < size; i++) {
            AcceptedMessage m = messages[i];
            messages[i] = null;
            if (cause == null) {
                try {
                    queuedListener.queued(m.id(), bodiesIndexes[i], m.receivedAtMillis(), m.recipients(),
                        m.routeInputs());
                } catch (Throwable t) {
                    LOG.error("queued listener threw for {}", MessageIds.format(m.id()), t);
                }
                AppendCallback cb = m.callback;
                m.callback = null;
                try {
                    cb.appended(m, bodiesIndexes[i]);
                } catch (Throwable t) {
                    LOG.error("append callback of {} threw", MessageIds.format(m.id()), t);
                }
            } else {
                fail(m, cause);
            }
        }
        size = 0;
    }

    /** Lets the listener hand off, in order, what it could not before ({@link QueuedListener#retryWaiting}). */
    int retryWaiting() {
        try {
            return queuedListener.retryWaiting();
        } catch (Throwable t) {
            LOG.error("queued listener threw while handing off waiting messages", t);
            return 0;
        }
    }

    /** Tells {@code m}'s callback that it was not journalled. */
    static void fail(AcceptedMessage m, Throwable cause) {
        AppendCallback cb = m.callback;
        m.callback = null;
        try {
            cb.failed(m, cause);
        } catch (Throwable t) {
            LOG.error("failure callback of {} threw", MessageIds.format(m.id()), t);
        }
    }
}
