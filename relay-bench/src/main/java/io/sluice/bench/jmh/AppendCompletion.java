package io.sluice.bench.jmh;

import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.JournalWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable countdown over {@link AppendCallback}s: the benchmark thread {@link #expect arms} it for a burst of
 * offers, then {@link #await awaits} it; the journal writer thread counts each callback down and unparks the waiter
 * at zero. Allocation-free per message and per burst, so it adds nothing to {@code -prof gc} figures.
 *
 * <p>Threading: {@link #expect} and {@link #await} on one waiting thread; the callbacks on the writer thread. A
 * failed append is remembered (first cause) and rethrown by {@link #await}, so a broken journal fails the run
 * instead of inflating its throughput. Limits: {@code await} gives up after {@code timeoutSeconds}.
 */
final class AppendCompletion implements AppendCallback {
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile Thread waiter;
    private volatile Throwable failure;
    private volatile long lastBodiesIndex;

    /** Arms the countdown for {@code count} callbacks; call before the first offer of the burst. */
    void expect(int count) {
        waiter = Thread.currentThread();
        outstanding.set(count);
    }

    /** Parks until every expected callback has run; throws if one failed or the writer is stuck. */
    void await(JournalWriter writer, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (outstanding.get() > 0) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(outstanding.get() + " appends still outstanding after "
                    + timeoutSeconds + " s; writer failure: " + writer.failure());
            }
        }
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("journal append failed", t);
        }
    }

    /** Bodies index of the most recent append (consumed by the benchmark so nothing is dead code). */
    long lastBodiesIndex() {
        return lastBodiesIndex;
    }

    @Override
    public void appended(AcceptedMessage message, long bodiesIndex) {
        lastBodiesIndex = bodiesIndex;
        countDown();
    }

    @Override
    public void failed(AcceptedMessage message, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        countDown();
    }

    private void countDown() {
        if (outstanding.decrementAndGet() == 0) {
            LockSupport.unpark(waiter);
        }
    }
}
