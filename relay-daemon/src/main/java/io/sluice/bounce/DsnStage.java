package io.sluice.bounce;

import io.sluice.events.EventPublisher;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.scheduler.BounceSink;
import io.sluice.scheduler.GivenUp;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DSN generation (RFC 3464, config {@code delivery.dsn}, default on): the {@link BounceSink} that takes over every
 * recipient the scheduler gives up on (bounced or expired), sends its envelope sender a delivery status
 * notification through Sluice's own queue, and only then writes the recipient's OUTCOME (docs/architecture.md
 * "Durability": a DSN is appended before the OUTCOME that causes it).
 *
 * <p>Input: {@link #offer} from the scheduler thread into a bounded MPSC inbox ({@link #INBOX_CAPACITY}); false
 * when full (the scheduler keeps an in-order backlog). Work, on this stage's own thread ({@code sluice-dsn}, an
 * Agrona agent that parks when idle and is woken by offers and journal callbacks; see {@link DsnAgent}): read the
 * original's ACCEPTED record (sender, arrival time, header section) from {@code bodies/}, group the failures of one
 * message that are waiting together into one DSN, compose it ({@link DsnComposer}: Reporting-MTA our
 * {@code smtp.hostname}, Action failed, Status, Remote-MTA, Diagnostic-Code) and append it with
 * {@link JournalWriter#offer} as a new message (fresh id, listener {@code dsn}) from {@code <>} to the original
 * sender: the writer's queued listener hands it to the scheduler like any mail. Output, once the DSN is durable:
 * OUTCOME (bounced or expired) for each covered recipient, backlogged in order while the writer is full, and a
 * {@code received} event for the DSN. A null-sender original (a DSN itself, or any {@code <>} mail) gets no DSN:
 * its OUTCOMEs are written at once.
 *
 * <p>Failure modes: an original whose body cannot be read still gets a DSN, without the original headers; one whose
 * envelope cannot be read (or whose id is not at the index given) gets its OUTCOMEs without a DSN, logged. If the
 * journal refuses a DSN (writer failed), the error is logged and its recipients are left pending with no OUTCOME:
 * the scheduler has let go of them, so they are decided again (and bounced again, with a DSN) after the restart a
 * failed journal needs anyway.
 *
 * <p>At-least-once: a crash after the DSN is durable and before the OUTCOME is leaves the recipient pending, so the
 * restarted daemon decides it again and sends a second DSN. Never zero.
 *
 * <p>Shutdown ({@link #close}): close after the scheduler has stopped and before the journal writer closes. Stops
 * accepting, then lets the thread finish what it holds (reading, appending, OUTCOMEs) for at most
 * {@link #CLOSE_WAIT_MILLIS}; whatever is abandoned has no OUTCOME and simply stays pending in the journal.
 */
public final class DsnStage implements BounceSink, AutoCloseable {
    /** Given-up recipients waiting for the stage, at most. */
    public static final int INBOX_CAPACITY = 4096;
    /** Longest {@link #close} waits for work in hand. */
    public static final long CLOSE_WAIT_MILLIS = 3_000;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(DsnStage.class);

    private final ManyToOneConcurrentArrayQueue<GivenUp> inbox;
    private final DsnAgent agent;
    private final AgentRunner runner;
    private volatile boolean closed;

    private DsnStage(Journal journal, JournalWriter writer, String reportingMta, EventPublisher events,
                     EpochClock clock) {
        this.inbox = new ManyToOneConcurrentArrayQueue<>(INBOX_CAPACITY);
        this.agent = new DsnAgent(inbox, writer, new OriginalReader(journal), new ExpiryReplies(journal),
                journal::nextMessageId, reportingMta, events, clock, this::wake);
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, MAX_PARK_NANOS),
                e -> LOG.error("DSN stage error", e), null, agent);
    }

    /**
     * Starts the stage's thread. {@code writer} must be the journal's running writer; {@code reportingMta} is
     * {@code smtp.hostname}; {@code events} receives the DSNs' {@code received} events (never blocks).
     */
    public static DsnStage start(Journal journal, JournalWriter writer, String reportingMta, EventPublisher events) {
        DsnStage stage = new DsnStage(Objects.requireNonNull(journal), Objects.requireNonNull(writer),
                Objects.requireNonNull(reportingMta), Objects.requireNonNull(events), SystemEpochClock.INSTANCE);
        AgentRunner.startOnThread(stage.runner);
        return stage;
    }

    @Override
    public boolean takesOutcomes() {
        return true;
    }

    /** Scheduler thread; never blocks; false when the inbox is full or the stage is closed. */
    @Override
    public boolean offer(GivenUp failure) {
        if (closed || !inbox.offer(failure)) {
            return false;
        }
        wake();
        return true;
    }

    private void wake() {
        Thread thread = runner.thread();
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops accepting, finishes work in hand for at most {@link #CLOSE_WAIT_MILLIS}, stops the thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        agent.closing = true;
        wake();
        try {
            if (!agent.drained.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("DSN stage did not finish within {} ms; unfinished recipients stay pending",
                        CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.close();
    }
}
