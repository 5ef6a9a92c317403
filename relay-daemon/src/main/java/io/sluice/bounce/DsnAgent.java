package io.sluice.bounce;

import io.sluice.events.EventPublisher;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.MessageIds;
import io.sluice.journal.OutcomeCode;
import io.sluice.util.OrderedBacklog;
import io.sluice.scheduler.GivenUp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DSN stage's loop (see {@link DsnStage} for the contract). Each {@link #doWork} cycle reads the clock once,
 * then:
 * <ol>
 *   <li>completes DSNs the journal writer has made durable: queues the OUTCOME of every recipient each one covers
 *       and publishes the DSN's {@code received} event; a DSN the journal refused is logged and its recipients are
 *       left pending (decided again after a restart);</li>
 *   <li>when nothing is waiting to start, drains what is in the inbox now (up to {@link #DRAIN_LIMIT}) and groups it
 *       by original message, in order of first appearance: failures of one message that wait together get one DSN
 *       (nothing is held back to wait for more); expiries whose last failure the scheduler lost in a restart get it
 *       back from the journal ({@link ExpiryReplies}, one walk per drain);</li>
 *   <li>starts groups while fewer than {@link #MAX_IN_FLIGHT} DSNs are in flight: reads the original off this
 *       thread ({@link OriginalReader}), and for a null sender (or an unreadable envelope, logged) queues the
 *       OUTCOMEs at once, otherwise builds the DSN ({@link DsnMessage}) and offers it to the writer; a full writer
 *       keeps the built DSN for the next cycle;</li>
 *   <li>flushes the OUTCOMEs the writer refused, in order ({@link OrderedBacklog}).</li>
 * </ol>
 *
 * <p>Threading: {@link #doWork} on one thread; the inbox is filled by the scheduler thread, completions by the
 * journal writer thread (a slot is reserved for each DSN in flight, so that offer cannot fail), and each wakes the
 * loop with {@code wakeUp}. Allocation: per DSN (grouping, the message text); this is not a hot path.
 */
final class DsnAgent implements Agent {
    /** DSN appends offered to the journal writer and not yet called back, at most. */
    static final int MAX_IN_FLIGHT = 64;
    /** Given-up recipients taken from the inbox per drain. */
    static final int DRAIN_LIMIT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DsnAgent.class);

    private final ManyToOneConcurrentArrayQueue<GivenUp> inbox;
    private final ManyToOneConcurrentArrayQueue<DsnAppend> completed =
            new ManyToOneConcurrentArrayQueue<>(MAX_IN_FLIGHT);
    private final ArrayDeque<List<GivenUp>> ready = new ArrayDeque<>();
    private final Map<Long, List<GivenUp>> grouping = new LinkedHashMap<>();
    private final JournalWriter writer;
    private final OriginalReader originals;
    private final ExpiryReplies expiryReplies;
    /** OUTCOMEs owed, in order, when the writer's buffer is full (memory: at most the DSNs in flight plus one drain). */
    private final OrderedBacklog<GivenUp> outcomes;
    private final LongSupplier ids;
    private final String reportingMta;
    private final EventPublisher events;
    private final EpochClock clock;
    private final Runnable wakeUp;
    /** Built but refused by a full writer; offered again before anything else. */
    private DsnAppend unsent;
    private int inFlight;
    private long now;

    /** Set by {@link DsnStage#close}: count {@link #drained} down once nothing is left to do. */
    volatile boolean closing;
    final CountDownLatch drained = new CountDownLatch(1);

    /**
     * @param ids          new message ids ({@code Journal::nextMessageId})
     * @param reportingMta our host name ({@code smtp.hostname})
     * @param wakeUp       unparks the thread running this agent; any thread
     */
    DsnAgent(ManyToOneConcurrentArrayQueue<GivenUp> inbox, JournalWriter writer, OriginalReader originals,
             ExpiryReplies expiryReplies, LongSupplier ids, String reportingMta, EventPublisher events,
             EpochClock clock, Runnable wakeUp) {
        this.inbox = inbox;
        this.writer = writer;
        this.originals = originals;
        this.expiryReplies = expiryReplies;
        this.outcomes = new OrderedBacklog<>(g -> writer.offerOutcome(g.messageId(), g.recipientIndex(),
                g.expired() ? OutcomeCode.EXPIRED : OutcomeCode.BOUNCED, g.reason(), g.timeMillis()));
        this.ids = ids;
        this.reportingMta = reportingMta;
        this.events = events;
        this.clock = clock;
        this.wakeUp = wakeUp;
    }

    @Override
    public String roleName() {
        return "sluice-dsn";
    }

    @Override
    public int doWork() {
        now = clock.time();
        int work = 0;
        DsnAppend done;
        while ((done = completed.poll()) != null) {
            inFlight--;
            complete(done);
            work++;
        }
        if (ready.isEmpty() && unsent == null) {
            work += drainInbox();
        }
        work += startDsns();
        work += outcomes.flush();
        if (work == 0) {
            originals.releaseDeleted(); // one volatile read; frees a deleted journal cycle the reader maps
        }
        if (closing && isIdle()) {
            drained.countDown();
        }
        return work;
    }

    private int drainInbox() {
        int n = inbox.drain(g -> grouping.computeIfAbsent(g.messageId(), id -> new ArrayList<>(1)).add(g),
                DRAIN_LIMIT);
        if (n > 0) {
            expiryReplies.fill(grouping);
            ready.addAll(grouping.values());
            grouping.clear();
        }
        return n;
    }

    private int startDsns() {
        int n = 0;
        if (unsent != null) {
            if (!offer(unsent)) {
                return 0;
            }
            unsent = null;
            n++;
        }
        while (inFlight < MAX_IN_FLIGHT && !ready.isEmpty()) {
            DsnAppend dsn = prepare(ready.pollFirst());
            n++;
            if (dsn != null && !offer(dsn)) {
                unsent = dsn;
                break;
            }
        }
        return n;
    }

    /** The DSN for {@code failures} (one message), or null when none is due and their OUTCOMEs are queued. */
    private DsnAppend prepare(List<GivenUp> all) {
        List<GivenUp> failures = all;
        if (!all.stream().allMatch(GivenUp::dsn)) { // a VERP route's: recorded, no DSN (no backscatter)
            failures = all.stream().filter(GivenUp::dsn).toList();
            recordOutcomes(all.stream().filter(g -> !g.dsn()).toList());
            if (failures.isEmpty()) {
                return null;
            }
        }
        GivenUp first = failures.get(0);
        Original original = originals.read(first.messageId(), first.bodiesIndex());
        if (original == null) {
            LOG.error("message {}: original unreadable, {} recipient(s) recorded without a DSN",
                    MessageIds.format(first.messageId()), failures.size());
            recordOutcomes(failures);
            return null;
        }
        if (original.sender().isEmpty()) {
            recordOutcomes(failures); // RFC 5321 6.1 / RFC 3464: never a DSN for a null reverse-path
            return null;
        }
        AcceptedMessage message = DsnMessage.build(ids.getAsLong(), reportingMta, first.messageId(), original,
                failures, now);
        return new DsnAppend(message, failures);
    }

    /** True when the DSN is in flight or given up on; false when the writer is full (try again later). */
    private boolean offer(DsnAppend dsn) {
        Throwable failure = writer.failure();
        if (failure != null) {
            abandon(dsn, failure);
            return true;
        }
        if (!writer.offer(dsn.message, dsn)) {
            return false;
        }
        inFlight++;
        return true;
    }

    private void complete(DsnAppend dsn) {
        if (dsn.failure != null) {
            abandon(dsn, dsn.failure);
            return;
        }
        recordOutcomes(dsn.failures);
        AcceptedMessage m = dsn.message;
        events.publish(LifecycleEvent.received(m.receivedAtMillis(), MessageIds.format(m.id()), m.listener(), null,
                null, m.sender(), m.recipients(), m.body().remaining()));
    }

    /** The journal did not take the DSN: its recipients stay pending (no OUTCOME), decided again after restart. */
    private void abandon(DsnAppend dsn, Throwable cause) {
        LOG.error("DSN {} for message {} not journalled; {} recipient(s) stay pending until restart",
                MessageIds.format(dsn.message.id()), MessageIds.format(dsn.failures.get(0).messageId()),
                dsn.failures.size(), cause);
    }

    private void recordOutcomes(List<GivenUp> failures) {
        for (GivenUp g : failures) {
            outcomes.offer(g);
        }
    }

    /** Nothing received, waiting, in flight or backlogged. Agent thread. */
    boolean isIdle() {
        return inbox.isEmpty() && ready.isEmpty() && unsent == null && inFlight == 0 && completed.isEmpty()
                && outcomes.size() == 0;
    }

    /** OUTCOMEs waiting for room in the writer. Agent thread (tests). */
    int outcomeBacklog() {
        return outcomes.size();
    }

    @Override
    public void onClose() {
        originals.close();
    }

    /** One DSN offered to the journal writer; its callback hands it back to the agent's thread. */
    private final class DsnAppend implements AppendCallback {
        final AcceptedMessage message;
        final List<GivenUp> failures;
        /** Written on the writer thread before the hand-off, read after it (ordered by the queue). */
        Throwable failure;

        DsnAppend(AcceptedMessage message, List<GivenUp> failures) {
            this.message = message;
            this.failures = failures;
        }

        @Override
        public void appended(AcceptedMessage m, long bodiesIndex) {
            handBack();
        }

        @Override
        public void failed(AcceptedMessage m, Throwable cause) {
            failure = cause;
            handBack();
        }

        private void handBack() {
            if (!completed.offer(this)) { // cannot happen: one slot per DSN in flight
                LOG.error("DSN {} completion lost; its recipients stay pending until restart",
                        MessageIds.format(message.id()));
            }
            wakeUp.run();
        }
    }
}
