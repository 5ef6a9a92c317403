package io.sluice.journal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal writer loop: the only appender of {@code bodies/} and {@code state/} (Chronicle allows one writer
 * per queue), and the owner of the {@link PendingSet} once started.
 *
 * <p>Each {@link #doWork()} cycle reads the clock once, then: lets the {@link QueuedListener} hand off what it
 * could not before ({@link QueuedListener#retryWaiting}, so earlier messages go first); appends OUTCOME and DEFERRED
 * records from the outcome ring buffer (updating the pending set); drains up to {@code maxBatch} accepted messages,
 * appending ACCEPTED then QUEUED for each; writes a checkpoint when due; runs one step of the {@link BodiesCompactor}
 * (at most one slice of relocations); then commits: one {@link Syncer} call for the whole batch (with
 * {@code journal.sync: batch}, and always after a checkpoint or relocations, since retention then deletes what
 * they replace) and only after it returns the callbacks ({@link CommitBatch}: {@link QueuedListener} then
 * {@link AppendCallback} per message; then the outcome and deferral listeners), the compactor's
 * {@link BodiesCompactor#afterSync} and {@link StateRetention}. There is no timer: whatever arrived during one
 * sync forms the next batch, so batches grow with load and an idle message waits one msync.
 *
 * <p>Allocation: per message only the recipient block the pending set retains (and its entry), plus one retry
 * array the first time one of its recipients is deferred; encoding, body copy, batching and outcome/deferral
 * records ({@link OutcomeRecorder}) and notices ({@link StateNotices}) reuse preallocated state. Failures: an
 * invalid message or an append error fails that message
 * only; a sync error, or an {@link Error} anywhere in the cycle (a SIGBUS on a mapped page when the disk fills
 * surfaces as {@link InternalError}), fails the batch and the writer for good ({@link #failure}; the
 * {@link WriterOptions#failureListener} hears it once), after which every message is failed at once and the
 * thread keeps running so that nothing waiting hangs and {@link JournalWriter#close()} returns. Callbacks run on
 * this thread; their exceptions are logged. Before a record is written its disk blocks are reserved
 * ({@link SpaceReservation}): a full disk fails that message with {@link JournalFullException} (452 4.3.1) and
 * lets outcomes and checkpoints wait, instead of faulting on a mapped page.
 */
final class JournalWriterAgent implements Agent {
    static final int OUTCOME_MSG_TYPE = 1;
    /**
     * Outcome ring-buffer message: id (8), time (8), recipient index (4), outcome code (low byte) and bounce reason
     * code (the byte above it) (4).
     */
    static final int OUTCOME_MSG_LENGTH = 24;
    static final int DEFERRED_MSG_TYPE = 2;
    /**
     * Deferral ring-buffer message: id (8), next due (8), recipient index (4), attempts (4), reply code (low 16 bits)
     * and bounce reason code (the 16 above) (4), MX host length (4), then the capped UTF-8 reply text (message length minus this minus the MX host length), then the
     * MX host.
     */
    static final int DEFERRED_MSG_HEADER = 32;

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriterAgent.class);

    private final Journal journal;
    private final PendingSet pending;
    private final ManyToOneConcurrentArrayQueue<AcceptedMessage> accepted;
    private final ManyToOneRingBuffer outcomes;
    private final AtomicInteger offersInProgress;
    private final boolean syncEnabled;
    private final Syncer syncer;
    private final JournalObserver observer;
    private final EpochClock clock;
    private final long checkpointIntervalMs;
    private final boolean checkpointOnClose;
    private final AcceptedEncoder acceptedEncoder = new AcceptedEncoder();
    private final CheckpointWriter checkpointWriter = new CheckpointWriter();
    private final BodiesCompactor compactor;
    private final StateRetention stateRetention;
    private final OutcomeRecorder outcomeRecorder;
    private final java.util.function.Consumer<Throwable> failureListener;

    private final CommitBatch batch;
    private final StateNotices notices;

    private ExcerptAppender bodiesAppender;
    private ExcerptAppender stateAppender;
    /** Disk blocks reserved ahead of the appenders' writes (a full disk refuses a message, never faults). */
    private WriterRoom room;
    /** The message being appended, until it is in the batch: an Error must still fail it. */
    private AcceptedMessage appending;
    private SyncTarget syncTarget;
    private long checkpointSequence;
    private long nextCheckpointMs;
    private long changesSinceCheckpoint;
    private long highestIdAppended = -1;
    private boolean unsyncedWrites;
    /** While the disk has no room for outcome records: when to ask again (clock ms); 0 when not waiting. */
    private long outcomeRoomRetryAtMs;
    private boolean drainedDone;
    private long compactionErrors;

    volatile boolean closing;
    volatile boolean checkpointRequested;
    private volatile Throwable failure;
    final CountDownLatch drained = new CountDownLatch(1);
    /** Admin {@code inspect} requests ({@link JournalWriter#inspect}): id and the future to complete here. */
    final ManyToOneConcurrentArrayQueue<PendingLookup> lookups = new ManyToOneConcurrentArrayQueue<>(16);

    /** One {@link JournalWriter#inspect} request. */
    record PendingLookup(long id, java.util.concurrent.CompletableFuture<PendingView> answer) {
    }

    /** A field, not a lambda in doWork: the cycle allocates nothing. */
    private final java.util.function.Consumer<PendingLookup> answerLookup = this::answerLookup;

    JournalWriterAgent(Journal journal, RecoveryResult recovered, WriterOptions options,
                       ManyToOneConcurrentArrayQueue<AcceptedMessage> accepted, ManyToOneRingBuffer outcomes,
                       AtomicInteger offersInProgress) {
        this.journal = journal;
        this.pending = recovered.pending();
        this.checkpointSequence = recovered.checkpointSequence();
        this.highestIdAppended = recovered.highestMessageId();
        // what recovery had to replay after the last checkpoint counts as a change: a checkpoint (at the interval
        // or on close) saves the next start that replay, even if no new record is written
        this.changesSinceCheckpoint = recovered.recordsReplayed();
        this.accepted = accepted;
        this.outcomes = outcomes;
        this.offersInProgress = offersInProgress;
        this.syncEnabled = journal.settings().sync() == io.sluice.config.JournalSettings.SyncPolicy.BATCH;
        this.syncer = options.syncerOrDefault();
        this.observer = options.observer();
        this.clock = options.clock();
        this.checkpointIntervalMs = options.checkpointIntervalOr(journal.settings().checkpointInterval()).toMillis();
        this.checkpointOnClose = options.checkpointOnClose();
        this.batch = new CommitBatch(options.maxBatch(), options.queuedListener());
        this.notices = new StateNotices(options.maxBatch(), options.outcomeListener(), options.deferredListener());
        long compactAfterMs = options.compactAfterOr(journal.settings().compactAfter()).toMillis();
        LongSupplier minFree = options.minFreeBytesOr(journal.settings()::minFreeBytes);
        journal.freeSpace().minFreeBytes(minFree);
        this.compactor = new BodiesCompactor(journal, pending, compactAfterMs, minFree);
        this.stateRetention = new StateRetention(journal, compactAfterMs);
        this.outcomeRecorder = new OutcomeRecorder(pending, compactor, notices);
        this.failureListener = options.failureListener();
    }

    @Override
    public String roleName() {
        return "sluice-journal-writer";
    }

    @Override
    public void onStart() {
        // Chronicle appenders are single-threaded: create them on the thread that uses them.
        bodiesAppender = journal.bodies().createAppender();
        stateAppender = journal.state().createAppender();
        room = new WriterRoom(journal);
        syncTarget = new SyncTarget(bodiesAppender, stateAppender,
            journal.bodies().file().toPath(), journal.state().file().toPath());
        nextCheckpointMs = clock.time() + checkpointIntervalMs;
        compactor.start();
        outcomeRecorder.start(stateAppender);
    }

    @Override
    public int doWork() {
        long now = clock.time();
        int work = batch.retryWaiting(); // messages made durable earlier go to the listener before new ones
        if (failure == null) {
            try {
                work += writeAndCommit(now);
            } catch (Throwable t) {
                // A SIGBUS on a mapped page (InternalError "a fault occurred in a recent unsafe memory access
                // operation": the disk filled under a mapping) or an I/O error inside Chronicle: the appenders'
                // state is unknown, so the writer stops for good, fails everything waiting and says so.
                fail(t);
                complete(t);
                work++;
            }
        } else {
            work += failWaiting();
        }
        work += lookups.drain(answerLookup, 4);
        if (closing && !drainedDone && offersInProgress.get() == 0 && accepted.isEmpty() && outcomes.size() == 0) {
            finishClose(now);
        }
        return work;
    }

    /** One healthy cycle: outcomes, messages, checkpoint, compaction, the group commit, then retention. */
    private int writeAndCommit(long now) {
        int work = 0;
        if (outcomes.size() > 0) {
            if (now >= outcomeRoomRetryAtMs && room.forOutcomes(stateAppender, notices.room())) {
                outcomeRoomRetryAtMs = 0;
                work += outcomes.read(outcomeRecorder, notices.room());
            } else if (closing) {
                // No room on disk and a stop must not wait for it: reported as not recorded, so those recipients
                // are decided again after the restart (at-least-once).
                outcomeRecorder.writerFailed = true;
                work += outcomes.read(outcomeRecorder, notices.room());
                outcomeRecorder.writerFailed = false;
            } else if (now >= outcomeRoomRetryAtMs) {
                // They wait in the ring buffer for room, asked for again when free space is next re-read; till
                // then they are no work (hasWork), so the writer parks instead of spinning on a full disk.
                outcomeRoomRetryAtMs = now + FreeSpace.REFRESH_INTERVAL_MS;
            }
        }
        int recorded = outcomeRecorder.takeAppended();
        changesSinceCheckpoint += recorded;
        unsyncedWrites |= recorded > 0;
        work += appendAccepted();
        long checkpointBegin = -1;
        if (checkpointRequested || (changesSinceCheckpoint > 0 && now >= nextCheckpointMs)) {
            checkpointBegin = checkpoint(now);
            work++;
        }
        long journalNow = journal.time().currentTimeMillis();
        work += compact(journalNow, work == 0);
        boolean relocated = compactor.hasStaged();
        unsyncedWrites |= relocated;
        commit(relocated || checkpointBegin >= 0);
        if (failure == null) {
            if (relocated) {
                compactor.afterSync();
            }
            if (checkpointBegin >= 0) {
                stateRetention.checkpointDurable(checkpointBegin);
            }
            try {
                work += stateRetention.run(journalNow);
            } catch (RuntimeException e) {
                compactionFailed("state/ retention", e);
            }
        }
        return work;
    }

    private void answerLookup(PendingLookup l) {
        PendingMessage m = pending.get(l.id());
        l.answer().complete(m == null ? null : PendingView.of(m));
    }

    boolean hasWork() {
        return !accepted.isEmpty() || outcomes.size() > 0 && outcomeRoomRetryAtMs == 0 || (closing && !drainedDone)
            || checkpointRequested || !lookups.isEmpty();
    }

    Throwable failure() {
        return failure;
    }

    private int appendAccepted() {
        int n = 0;
        AcceptedMessage m;
        while (!batch.isFull() && (m = accepted.poll()) != null) {
            n++;
            try {
                append(m);
            } catch (Error e) {
                if (appending != null) {
                    CommitBatch.fail(appending, e); // its callback must run; the writer then fails (doWork)
                    appending = null;
                }
                throw e;
            }
        }
        return n;
    }

    private void append(AcceptedMessage m) {
        long start = System.nanoTime();
        byte[] block;
        try {
            if (pending.get(m.id()) != null) {
                throw new IllegalArgumentException("message id " + MessageIds.format(m.id()) + " is already pending");
            }
            block = RecipientBlock.encode(m.recipients());
            long recordBytes = acceptedEncoder.measure(m, block, journal.maxAcceptedRecordBytes());
            room.forMessage(bodiesAppender, recordBytes, stateAppender, block.length);
        } catch (IllegalArgumentException | JournalFullException e) {
            CommitBatch.fail(m, e);
            return;
        }
        appending = m;
        long bodiesIndex;
        try {
            try (DocumentContext dc = bodiesAppender.writingDocument()) {
                try {
                    acceptedEncoder.write(dc.wire().bytes(), m, block);
                } catch (RuntimeException e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            }
            bodiesIndex = bodiesAppender.lastIndexAppended();
            unsyncedWrites = true;
            try (DocumentContext dc = stateAppender.writingDocument()) {
                try {
                    StateEncoder.writeQueued(dc.wire().bytes(), m.id(), bodiesIndex, m.receivedAtMillis(),
                        m.recipients().size(), block, m.routeInputs());
                } catch (RuntimeException e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            appending = null;
            LOG.error("appending message {} failed", MessageIds.format(m.id()), e);
            CommitBatch.fail(m, e);
            return;
        }
        pending.add(m.id(), bodiesIndex, m.receivedAtMillis(), block, m.recipients().size(), m.routeInputs());
        compactor.added(bodiesIndex);
        highestIdAppended = Math.max(highestIdAppended, m.id());
        changesSinceCheckpoint++;
        batch.add(m, bodiesIndex);
        appending = null;
        observer.onAppend(System.nanoTime() - start, m.body().remaining());
    }

    /** One compactor step; its errors (listing or deleting cycle files) must never stop the group commit. */
    private int compact(long journalNow, boolean idle) {
        try {
            return compactor.doWork(journalNow, idle, bodiesAppender, stateAppender);
        } catch (RuntimeException e) {
            compactionFailed("bodies/ compaction", e);
            return 0;
        }
    }

    private void compactionFailed(String what, RuntimeException e) {
        if (Long.bitCount(++compactionErrors) == 1) { // 1st, 2nd, 4th, ...: a persistent fault does not flood
            LOG.error("{} failed ({} times so far); mail flow goes on, disk use grows", what, compactionErrors, e);
        }
    }

    /** Writes a checkpoint; returns the state index of its BEGIN, or -1 if writing it failed. */
    private long checkpoint(long now) {
        checkpointRequested = false;
        nextCheckpointMs = now + checkpointIntervalMs;
        long start = System.nanoTime();
        long highestId = Math.max(highestIdAppended, journal.messageIds().lastIssued());
        long sequence = ++checkpointSequence;
        unsyncedWrites = true;
        long beginIndex;
        try {
            room.forCheckpoint(stateAppender, pending.pendingMessages(), pending.pendingRecipients());
            beginIndex = checkpointWriter.write(stateAppender, pending, sequence, now, highestId);
            changesSinceCheckpoint = 0;
        } catch (JournalFullException e) {
            return -1; // no room on disk (logged by WriterRoom): the next interval tries again
        } catch (RuntimeException e) {
            LOG.error("writing checkpoint {} failed; recovery will use an earlier one", sequence, e);
            return -1;
        }
        observer.onCheckpoint(System.nanoTime() - start, pending.pendingMessages(), pending.pendingRecipients());
        return beginIndex;
    }

    /** Syncs what this cycle wrote (per policy, or always when {@code forceSync}), then completes callbacks. */
    private void commit(boolean forceSync) {
        if (unsyncedWrites && (syncEnabled || forceSync)) {
            long start = System.nanoTime();
            try {
                syncer.sync(syncTarget);
            } catch (Throwable t) {
                fail(t);
                complete(t);
                return;
            }
            observer.onSync(System.nanoTime() - start, batch.size(), notices.size());
        }
        boolean synced = unsyncedWrites && (syncEnabled || forceSync);
        unsyncedWrites = unsyncedWrites && !syncEnabled && !forceSync;
        complete(null);
        if (synced) {
            syncer.afterCommit(syncTarget);
        }
    }

    private void complete(Throwable cause) {
        batch.complete(cause);
        notices.publish(cause != null);
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            outcomeRecorder.writerFailed = true;
            LOG.error("journal write failed; the writer stops acknowledging messages until restart", t);
            try {
                failureListener.accept(t);
            } catch (RuntimeException e) {
                LOG.warn("the journal failure listener threw", e);
            }
        }
    }

    private int failWaiting() {
        int n = 0;
        AcceptedMessage m;
        while ((m = accepted.poll()) != null) {
            CommitBatch.fail(m, failure);
            n++;
        }
        n += outcomes.read(outcomeRecorder, notices.room()); // reported as not recorded: the writer failed
        notices.publish(true);
        return n;
    }

    private void finishClose(long now) {
        try {
            if (failure == null) {
                if (checkpointOnClose && changesSinceCheckpoint > 0) {
                    checkpoint(now);
                }
                commit(true);
                if (failure == null && compactor.hasStaged()) {
                    compactor.afterSync();
                }
            }
        } catch (Throwable t) { // as in doWork: whatever happens, close must not wait for a dead writer
            fail(t);
            complete(t);
        }
        drainedDone = true;
        drained.countDown();
    }

    @Override
    public void onClose() {
        if (!drainedDone) {
            // Stopped without the close handshake (an error escaped the loop): nothing waiting may hang.
            fail(new IllegalStateException("journal writer stopped"));
            failWaiting();
            complete(failure);
        }
        try {
            syncer.close();
        } catch (Exception e) {
            LOG.warn("closing the syncer failed", e);
        }
        compactor.close();
        if (room != null) {
            room.close();
        }
        if (stateAppender != null) {
            stateAppender.close();
        }
        if (bodiesAppender != null) {
            bodiesAppender.close();
        }
    }
}
