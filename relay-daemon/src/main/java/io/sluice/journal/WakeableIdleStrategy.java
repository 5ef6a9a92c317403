package io.sluice.journal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Idles an agent by briefly spinning, yielding, then parking with exponential backoff (never a busy core: on a
 * 2-core host a spinning idle strategy eats one), and lets producers wake it at once with {@link #wake}.
 *
 * <p>No lost wake-up: the agent publishes {@code sleeping = true} and then re-checks for work before parking; a
 * producer publishes its work and then reads {@code sleeping}. Both are volatile, so at least one side sees the
 * other. Producers skip the unpark syscall while the agent is busy.
 */
final class WakeableIdleStrategy implements IdleStrategy {
    private final BackoffIdleStrategy backoff;
    private final BooleanSupplier hasWork;
    private volatile boolean sleeping;

    WakeableIdleStrategy(long maxParkNanos, BooleanSupplier hasWork) {
        this.backoff = new BackoffIdleStrategy(10, 10, 1_000, maxParkNanos);
        this.hasWork = hasWork;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            backoff.reset();
            return;
        }
        idle();
    }

    @Override
    public void idle() {
        sleeping = true;
        try {
            if (!hasWork.getAsBoolean()) {
                backoff.idle();
            }
        } finally {
            sleeping = false;
        }
    }

    @Override
    public void reset() {
        backoff.reset();
    }

    /** Called by a producer after publishing work. */
    void wake(Thread agentThread) {
        if (sleeping && agentThread != null) {
            LockSupport.unpark(agentThread);
        }
    }
}
