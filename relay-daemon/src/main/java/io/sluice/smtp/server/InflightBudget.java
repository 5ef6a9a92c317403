package io.sluice.smtp.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget of message text held in memory ({@code smtp.max_inflight_data_bytes}): text being received plus
 * text waiting for the journal. A session asks {@link #hasRoom} before it answers 354; when the budget is spent it
 * waits (its reply is delayed, its reading stopped) and is woken when memory is returned. Sessions already inside
 * DATA always finish, so the budget can be exceeded by at most the messages under way, and progress never depends on
 * a session that is waiting.
 *
 * <p>Threading: any thread; the waiter callback runs on the waiter's own event loop.
 */
final class InflightBudget {
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    InflightBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean hasRoom() {
        return used.get() < maxBytes;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    /** Returns memory and wakes waiters while there is room. */
    void release(long bytes) {
        long now = used.addAndGet(-bytes);
        while (now < maxBytes) {
            Runnable waiter = waiters.poll();
            if (waiter == null) {
                return;
            }
            waiter.run();
            now = used.get();
        }
    }

    /**
     * Registers a callback (which must hop to its own event loop) for when room appears; runs it at once if room
     * appeared meanwhile.
     */
    void await(Runnable onRoom) {
        waiters.add(onRoom);
        if (hasRoom() && waiters.remove(onRoom)) {
            onRoom.run();
        }
    }

    long used() {
        return used.get();
    }
}
