package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.config.SmtpSettings;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time limits of one session, so that a slow client cannot hold a connection slot for long (RFC 5321 4.5.3.2,
 * Postfix's per-request deadlines). Each ends the session with {@code 421 4.4.2} and a text naming the limit:
 * <ul>
 *   <li>idle: silent for {@code smtp.command_timeout}, or {@code smtp.data_timeout} inside DATA;</li>
 *   <li>whole command: from the first octet of a command line to its CRLF at most {@code smtp.command_timeout},
 *       however often the client sends a byte;</li>
 *   <li>whole DATA: from the 354 to the final dot at most {@code smtp.data_deadline}, and never slower than
 *       {@code smtp.min_data_rate} ({@link DataPace}).</li>
 * </ul>
 * It also keeps the session's last progress (a complete command, message text at the minimum rate, a 250) for
 * {@link SessionRegistry#claimMostStalled}, which picks the session to close when a new connection finds
 * {@code smtp.max_connections} full.
 *
 * <p>Inputs: {@link #heard} after every read; {@link #commandCompleted} for every command line; {@link #dataStarted}
 * at the 354; {@link #touch} when the session starts waiting for the client again. Output:
 * {@link SmtpSession#closeWith}. Time the session spends waiting on us rather than on the client (journal, AUTH
 * verification, a soft back-pressure delay, the in-flight budget) never counts; a command line whose first octets
 * arrived while the decoder was paused starts its clock at the next read. One timer task at a time, rescheduled for
 * the nearest limit, never later than the shortest configured limit and never sooner than
 * {@value #TIMEOUT_CHECK_FLOOR_MILLIS} ms; the check task is preallocated, so rescheduling allocates only Netty's
 * timer entry and nothing is allocated per message.
 *
 * <p>Threading: the session's event loop, except {@link #stalledSinceNanos}, {@link #claimEviction},
 * {@link #evictionClaimed} and {@link #releaseEviction}, which any thread may call. Failure modes: none of its own; the timer is cancelled when the channel closes and a check after
 * close does nothing.
 */
final class SessionTimeout {
    private static final long TIMEOUT_CHECK_FLOOR_MILLIS = 50;
    private static final long TIMEOUT_CHECK_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_CHECK_FLOOR_MILLIS);

    private final SmtpSession session;
    private final long commandTimeoutNanos;
    private final long dataTimeoutNanos;
    /** No check sleeps longer than this, so a limit of a state entered meanwhile is not overslept. */
    private final long longestSleepNanos;
    private final DataPace pace;
    private final Runnable check = this::check;
    private final AtomicBoolean evictionClaimed = new AtomicBoolean();

    /** Last time the client was heard from, or the session started waiting for it ({@link System#nanoTime}). */
    private long lastActivityNanos;
    /** When the first octet of the command line now being received arrived; 0 when none is. */
    private long commandStartNanos;
    /**
     * Last progress: a complete command, message text at {@code min_data_rate} or faster, a 250; read by other
     * threads to pick a stalled session.
     */
    private volatile long progressNanos;
    private ScheduledFuture<?> pending;

    SessionTimeout(SmtpSession session, SmtpSettings limits) {
        this.session = session;
        this.commandTimeoutNanos = limits.commandTimeout().toNanos();
        this.dataTimeoutNanos = limits.dataTimeout().toNanos();
        long dataDeadlineNanos = limits.dataDeadline().toNanos();
        this.longestSleepNanos = Math.min(commandTimeoutNanos, Math.min(dataTimeoutNanos, dataDeadlineNanos));
        this.pace = new DataPace(dataTimeoutNanos, dataDeadlineNanos, limits.minDataRateBytesPerSec());
    }

    /** Channel active: start the clock. */
    void start() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        progressNanos = now;
        schedule(longestSleepNanos);
    }

    /** After a read: the client was heard from; starts the command clock or counts message text. */
    void heard() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        SmtpServerDecoder decoder = session.decoder();
        if (session.state() == SmtpSession.State.DATA) {
            if (pace.received(decoder.dataOctets(), now)) {
                // Text below min_data_rate is no progress: the credit it lost counts as stalled time, so a client
                // that trickles a byte now and then looks as stalled as a silent one.
                progressNanos = pace.checksRate() ? pace.rateDeadlineNanos() - dataTimeoutNanos : now;
            }
        } else if (commandStartNanos == 0 && !decoder.isPaused() && decoder.hasPartialCommand()) {
            commandStartNanos = now;
        }
    }

    /** A whole command line (or AUTH response) arrived. */
    void commandCompleted() {
        commandStartNanos = 0;
        progressNanos = System.nanoTime();
    }

    /** The 354 went out: the DATA clocks start. */
    void dataStarted() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        progressNanos = now;
        commandStartNanos = 0;
        pace.start(now);
    }

    /** The session starts waiting for the client again (after the journal's answer, for instance). */
    void touch() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        progressNanos = now;
    }

    /** Channel inactive. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** Any thread: when the session last made progress ({@link System#nanoTime}). */
    long stalledSinceNanos() {
        return progressNanos;
    }

    /** Any thread: true for the one caller that may close this session to free its slot. */
    boolean claimEviction() {
        return evictionClaimed.compareAndSet(false, true);
    }

    /** Any thread: whether a caller claimed this session already (a scan skips it). */
    boolean evictionClaimed() {
        return evictionClaimed.get();
    }

    /** The claim was not used (the session turned out to be busy with us): it may be claimed again later. */
    void releaseEviction() {
        evictionClaimed.set(false);
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
        ReadGate gate = session.gate();
        boolean waitingOnUs = state == SmtpSession.State.QUEUEING
                || state == SmtpSession.State.AUTH && session.decoder().isPaused()
                || gate.isClosed(ReadGate.DELAYED) || gate.isClosed(ReadGate.INFLIGHT_BUDGET);
        if (waitingOnUs) {
            commandStartNanos = 0;
            schedule(longestSleepNanos);
            return;
        }
        long now = System.nanoTime();
        // Time left before each limit; the first to reach zero names the reply.
        long idleLeft = lastActivityNanos + (state == SmtpSession.State.DATA ? dataTimeoutNanos : commandTimeoutNanos)
                - now;
        long next = Math.min(idleLeft, longestSleepNanos);
        if (idleLeft <= 0) {
            expire(SmtpReplies.TIMEOUT);
            return;
        }
        if (state == SmtpSession.State.DATA) {
            long deadlineLeft = pace.deadlineNanos() - now;
            if (deadlineLeft <= 0) {
                expire(SmtpReplies.DATA_DEADLINE);
                return;
            }
            next = Math.min(next, deadlineLeft);
            if (pace.checksRate()) {
                long rateLeft = pace.rateDeadlineNanos() - now;
                if (rateLeft <= 0) {
                    expire(SmtpReplies.DATA_RATE);
                    return;
                }
                next = Math.min(next, rateLeft);
            }
        } else if (commandStartNanos != 0) {
            long commandLeft = commandStartNanos + commandTimeoutNanos - now;
            if (commandLeft <= 0) {
                expire(SmtpReplies.COMMAND_DEADLINE);
                return;
            }
            next = Math.min(next, commandLeft);
        }
        schedule(next);
    }

    private void expire(ByteBuf reply) {
        session.closeWith(reply, Rejection.TIMEOUT);
    }
}
