package io.sluice.scheduler;

/**
 * Recycles {@link Batch}es so a steady stream of messages allocates none: a free list through {@link Batch#next},
 * kept to at most {@code maxFree} batches so a burst does not pin its peak memory forever. Every batch has the
 * same capacity ({@code maxRecipientsPerTask}). A batch is released only when nothing refers to it any more: not
 * queued, not on a timer, not in flight (the scheduler's {@code done}). Scheduler thread only.
 */
final class BatchPool {
    private final int capacity;
    private final int maxFree;
    private Batch free;
    private int freeCount;

    BatchPool(int capacity, int maxFree) {
        this.capacity = capacity;
        this.maxFree = maxFree;
    }

    /** An empty batch of message {@code messageId} at {@code domain}. */
    Batch take(long messageId, long bodiesIndex, long receivedAtMillis, DomainState domain) {
        Batch b = free;
        if (b == null) {
            b = new Batch(capacity);
        } else {
            free = b.next;
            freeCount--;
        }
        return b.reset(messageId, bodiesIndex, receivedAtMillis, domain);
    }

    /** Takes back a finished batch. */
    void release(Batch b) {
        b.clear();
        if (freeCount < maxFree) {
            b.next = free;
            free = b;
            freeCount++;
        } else {
            b.next = null;
        }
    }

    int free() {
        return freeCount;
    }
}
