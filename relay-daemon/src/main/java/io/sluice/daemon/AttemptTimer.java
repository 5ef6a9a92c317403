package io.sluice.daemon;

import io.sluice.metrics.DeliveryMetrics;
import io.sluice.scheduler.Dispatcher;
import io.sluice.scheduler.TaskResult;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

/**
 * Times each delivery task from its hand-off to the delivery stage to its result, into
 * {@link DeliveryMetrics#attemptNanos}: one observation per task (however many recipients it carries), covering
 * the body read, connect (or a pooled session), the SMTP transaction and the final reply.
 *
 * <p>How: it wraps the scheduler's delivery port ({@link #timing(Dispatcher)}: stamps the start) and the result
 * callback ({@link #observing(Predicate)}: observes the duration), so neither the scheduler nor the dispatcher changes.
 * Starts live in a fixed ring indexed by task id, sized well above the tasks that can be in flight, so the
 * scheduler thread neither allocates nor looks anything up. If a slot is reused before its task reports (many
 * refused dispatches, which also consume task ids, during one very long task), that task's observation is
 * skipped; in a race at that moment it may read the newer start. Either way delivery is never affected.
 *
 * <p>Threading: {@code dispatch} on the scheduler thread, results on any thread (event loops). A slot's start is
 * written before its id (a volatile write) and read after it, and the id is claimed by CAS, so a task is observed
 * at most once.
 */
final class AttemptTimer {
    private static final long NONE = Long.MIN_VALUE;
    private static final int MIN_SLOTS = 1024;

    private final DeliveryMetrics metrics;
    private final AtomicLongArray ids;
    private final long[] startNanos;
    private final int mask;

    /** @param maxInFlight the most tasks the scheduler keeps in flight */
    AttemptTimer(int maxInFlight, DeliveryMetrics metrics) {
        this.metrics = metrics;
        int slots = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, maxInFlight) * 4 - 1) << 1);
        this.ids = new AtomicLongArray(slots);
        this.startNanos = new long[slots];
        this.mask = slots - 1;
        for (int i = 0; i < slots; i++) {
            ids.set(i, NONE);
        }
    }

    /** The scheduler's port to {@code dispatcher}, stamping each task's start before handing it on. */
    Dispatcher timing(Dispatcher dispatcher) {
        return task -> {
            started(task.taskId());
            return dispatcher.dispatch(task);
        };
    }

    /** The result callback to {@code results}, observing each task's duration before passing its result on. */
    Predicate<TaskResult> observing(Predicate<TaskResult> results) {
        return result -> {
            finished(result.taskId());
            return results.test(result);
        };
    }

    void started(long taskId) {
        int slot = (int) taskId & mask;
        startNanos[slot] = System.nanoTime();
        ids.set(slot, taskId);
    }

    void finished(long taskId) {
        int slot = (int) taskId & mask;
        if (ids.get(slot) != taskId) {
            return;
        }
        long start = startNanos[slot];
        if (ids.compareAndSet(slot, taskId, NONE)) {
            metrics.attemptNanos(System.nanoTime() - start);
        }
    }
}
