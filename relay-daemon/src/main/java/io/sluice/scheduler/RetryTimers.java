package io.sluice.scheduler;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The scheduler's timers (retry due times, dead-site probes) on an Agrona {@link DeadlineTimerWheel} of 256 ms
 * ticks: one timer per batch or site, never a scan. Each timer carries a target object handed back on expiry.
 *
 * <p>The wheel advances one tick per poll, so {@link #poll} catches up over at most {@value #MAX_TICKS_PER_POLL}
 * ticks per call (about 4.6 hours of clock; more is done on the next cycles), and skips straight to the present
 * when no timer is set. Scheduler thread only.
 */
final class RetryTimers {
    static final long NONE = Long.MIN_VALUE;
    private static final int MAX_TICKS_PER_POLL = 65_536;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Object> targets = new Long2ObjectHashMap<>();
    private final DeadlineTimerWheel.TimerHandler handler = this::expired;
    private Consumer<Object> onExpiry;

    RetryTimers(long nowMillis) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, nowMillis, 256, 1024);
    }

    /** Sets a timer for {@code target} at {@code dueMillis} (in the past: on the next poll); returns its id. */
    long schedule(long dueMillis, Object target) {
        long id = wheel.scheduleTimer(dueMillis);
        targets.put(id, target);
        return id;
    }

    /** Cancels timer {@code id} (a no-op for {@link #NONE} or a fired timer). */
    void cancel(long id) {
        if (id != NONE && targets.remove(id) != null) {
            wheel.cancelTimer(id);
        }
    }

    /** The batches on a timer that {@code match} accepts (operator commands only: walks every timer). */
    java.util.List<Batch> batchesWhere(java.util.function.Predicate<Batch> match) {
        java.util.List<Batch> out = new java.util.ArrayList<>();
        targets.forEachLong((id, target) -> {
            if (target instanceof Batch b && match.test(b)) {
                out.add(b);
            }
        });
        return out;
    }

    /** Hands every target whose time has come to {@code consumer}; returns how many. */
    int poll(long nowMillis, Consumer<Object> consumer) {
        if (wheel.timerCount() == 0) {
            wheel.currentTickTime(nowMillis); // nothing to miss: skip the idle ticks
            return 0;
        }
        onExpiry = consumer;
        int n = 0;
        for (int t = 0; t < MAX_TICKS_PER_POLL && wheel.currentTickTime() <= nowMillis; t++) {
            n += wheel.poll(nowMillis, handler, Integer.MAX_VALUE);
        }
        return n + wheel.poll(nowMillis, handler, Integer.MAX_VALUE);
    }

    /** Visits every batch on a timer with its due time (epoch millis). */
    void forEachBatch(java.util.function.ObjLongConsumer<Batch> visitor) {
        targets.forEachLong((id, target) -> {
            if (target instanceof Batch b) {
                visitor.accept(b, wheel.deadline(id));
            }
        });
    }

    private boolean expired(TimeUnit unit, long nowMillis, long timerId) {
        Object target = targets.remove(timerId);
        if (target != null) {
            onExpiry.accept(target);
        }
        return true;
    }
}
