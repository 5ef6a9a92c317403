package io.sluice.journal;

import org.agrona.collections.Long2LongHashMap;

/**
 * Where relocated messages live now: message id to the {@code bodies/} index of its ACCEPTED copy, for readers that
 * hold an older index (the delivery stage captured one when the message was queued). The compactor
 * ({@link BodiesCompactor}, on the writer thread) puts an entry once the copy and its RELOCATED record are durable
 * and before it deletes the old cycle; the writer drops it when the message's last recipient completes.
 *
 * <p>Holds only messages relocated since this journal was opened (recovery gives every pending message its current
 * index, so earlier moves need no entry): normally a few, at most the long-deferred part of the pending set, 16
 * bytes of map slot each. Threading: any thread; a monitor guards a primitive map (no boxing, no allocation per
 * call), and {@link #isEmpty()} lets readers skip the lock when nothing was relocated.
 */
public final class Relocations {
    private final Long2LongHashMap byId = new Long2LongHashMap(64, 0.65f, -1L);
    private volatile int size;

    /** The current bodies index of {@code messageId} if it was relocated, else -1. */
    public long lookup(long messageId) {
        if (size == 0) {
            return -1;
        }
        synchronized (byId) {
            return byId.get(messageId);
        }
    }

    /** True when no relocated message is pending. */
    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    void put(long messageId, long bodiesIndex) {
        synchronized (byId) {
            byId.put(messageId, bodiesIndex);
            size = byId.size();
        }
    }

    void remove(long messageId) {
        if (size == 0) {
            return;
        }
        synchronized (byId) {
            byId.remove(messageId);
            size = byId.size();
        }
    }
}
