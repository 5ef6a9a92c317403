package io.sluice.delivery;

import io.sluice.scheduler.ReadyKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Deliveries waiting for a connection slot of their ready queue's {@link ConnectionPool} (source, site) (the pool answered
 * {@link PoolFullException}): instead of turning into a TEMPORARY result, an attempt that never happened, a
 * delivery waits here in FIFO order per site and is woken, one per signal, when a slot may have come free: a
 * delivery of that site finished (it releases its lease before it reports) or the pool's listener said so.
 *
 * <p>Lost wake-ups are avoided by checking the pool after joining the queue: if a slot is free by then, one waiter
 * is woken at once. A woken delivery that loses the race for the slot simply waits again (at the tail). Waiting is
 * bounded by the dispatcher's {@code maxOutstanding} (each waiter is an accepted task holding its body).
 * {@link #close} hands every waiter back untried, and so is any delivery that starts waiting after it (checked
 * after joining the queue, so none is left behind). Thread-safe; never blocks.
 */
final class SlotWaiters {
    private final ConcurrentHashMap<ReadyKey, ConcurrentLinkedQueue<TaskDelivery>> bySite = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** {@code delivery} waits for a slot of {@code pool}, the pool of {@code site}. */
    void await(ReadyKey site, ConnectionPool pool, TaskDelivery delivery) {
        bySite.computeIfAbsent(site, s -> new ConcurrentLinkedQueue<>()).add(delivery);
        if (closed) {
            handBackAll();
        } else if (pool.available() > 0) {
            wake(site);
        }
    }

    /** A slot of {@code site}'s pool may be free: the longest waiter tries again. */
    void wake(ReadyKey site) {
        ConcurrentLinkedQueue<TaskDelivery> q = bySite.get(site);
        TaskDelivery next = q == null ? null : q.poll();
        if (next != null) {
            next.retry();
        }
    }

    /** Hands back every waiter untried, now and from now on. */
    void close() {
        closed = true;
        handBackAll();
    }

    /** Each waiter is polled, so handed back exactly once even if a wake or another close races with this. */
    private void handBackAll() {
        for (ConcurrentLinkedQueue<TaskDelivery> q : bySite.values()) {
            TaskDelivery d;
            while ((d = q.poll()) != null) {
                d.handBack();
            }
        }
    }
}
