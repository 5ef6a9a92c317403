package io.sluice.smtp.server;

import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.config.SmtpSettings;
import io.sluice.smtp.codec.ReadGate;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of one session (RFC 5321 4.5.3.2): a client silent for {@code smtp.command_timeout}, or
 * {@code smtp.data_timeout} inside DATA, is told {@code 421 4.4.2} and dropped.
 *
 * <p>Inputs: {@link #touch} whenever the client was heard from or the session starts waiting for it again; the
 * session's state and read gate. Output: {@link SmtpSession#closeWith} with {@link SmtpReplies#TIMEOUT}. Time the
 * session spends waiting on us rather than on the client (journal, AUTH verification, a soft back-pressure delay, the
 * in-flight budget) never counts. One timer task at a time, rescheduled for the remaining time, never later than the
 * shorter of the two timeouts and never sooner than {@value #TIMEOUT_CHECK_FLOOR_MILLIS} ms; the check task is
 * preallocated, so rescheduling allocates only Netty's timer entry.
 *
 * <p>Threading: the session's event loop only. Failure modes: none of its own; the timer is cancelled when the
 * channel closes and a check after close does nothing.
 */
final class SessionTimeout {
    private static final long TIMEOUT_CHECK_FLOOR_MILLIS = 50;
    private static final long TIMEOUT_CHECK_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_CHECK_FLOOR_MILLIS);

    private final SmtpSession session;
    private final SmtpSettings limits;
    private final Runnable check = this::check;

    /** Last time the client was heard from ({@link System#nanoTime}). */
    private long lastActivityNanos;
    private ScheduledFuture<?> pending;

    SessionTimeout(SmtpSession session, SmtpSettings limits) {
        this.session = session;
        this.limits = limits;
    }

    /** Channel active: start the clock. */
    void start() {
        lastActivityNanos = System.nanoTime();
        schedule(Math.min(limits.commandTimeout().toNanos(), limits.dataTimeout().toNanos()));
    }

    /** The client was heard from, or the session starts waiting for it again. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Channel inactive. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        pending = session.ctx().executor().schedule(check, Math.max(delayNanos, TIMEOUT_CHECK_FLOOR_NANOS),
                TimeUnit.NANOSECONDS);
    }

    private void check() {
        SmtpSession.State state = session.state();
        if (state == SmtpSession.State.CLOSED || session.isClosing()) {
            return;
        }
        long limit = (state == SmtpSession.State.DATA ? limits.dataTimeout() : limits.commandTimeout()).toNanos();
        long idle = System.nanoTime() - lastActivityNanos;
        ReadGate gate = session.gate();
        boolean waitingOnUs = state == SmtpSession.State.QUEUEING
                || state == SmtpSession.State.AUTH && session.decoder().isPaused()
                || gate.isClosed(ReadGate.DELAYED) || gate.isClosed(ReadGate.INFLIGHT_BUDGET);
        if (idle >= limit && !waitingOnUs) {
            session.closeWith(SmtpReplies.TIMEOUT, Rejection.TIMEOUT);
            return;
        }
        // The state (and so the limit) can change before the next check: never sleep past the shorter timeout.
        long shortest = Math.min(limits.commandTimeout().toNanos(), limits.dataTimeout().toNanos());
        schedule(Math.min(waitingOnUs ? limit : limit - idle, shortest));
    }
}
