package io.sluice.journal;

import io.sluice.model.BounceReason;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.BitUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of the journal: SMTP sessions (Netty event loops) {@link #offer} complete messages, the delivery
 * stage {@link #offerOutcome offers outcomes} and {@link #offerDeferred deferrals}; one agent thread ({@link JournalWriterAgent}, run by an
 * Agrona {@link AgentRunner}, parking when idle and woken by offers) appends them with group commit and calls back
 * once they are durable.
 *
 * <p>Inputs: a bounded MPSC queue of {@link AcceptedMessage} ({@code queueCapacity}) and a bounded MPSC ring
 * buffer shared by outcomes and deferrals; offers return false when full (reserve-before-work: the caller answers 451
 * or retries later) or when the writer is closing or failed. Outputs: {@link AppendCallback} and
 * {@link QueuedListener} per message, {@link OutcomeListener} per outcome, {@link DeferredListener} per deferral,
 * {@link JournalObserver} timings, CHECKPOINT records every {@code journal.checkpoint_interval} (only if something
 * changed), {@link Journal#freeBytes()} refreshes, and compaction and retention of old cycle files
 * ({@code journal.compact_after}: {@link BodiesCompactor}, {@link StateRetention}, totals in
 * {@link Journal#compactionStats()}).
 *
 * <p>Threading: offers are thread-safe and lock-free (no allocation); callbacks run on the writer thread.
 * {@link #close()} stops new offers, writes everything already offered, a final checkpoint and a sync, and calls
 * back every message before it returns. Failure: see {@link #failure()}.
 */
public final class JournalWriter implements MessageSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final ManyToOneConcurrentArrayQueue<AcceptedMessage> accepted;
    private final ManyToOneRingBuffer outcomes;
    private final AtomicInteger offersInProgress = new AtomicInteger();
    private final JournalWriterAgent agent;
    private final WakeableIdleStrategy idle;
    private final AgentRunner runner;
    private final Thread thread;
    private volatile boolean closing;

    private JournalWriter(Journal journal, RecoveryResult recovered, WriterOptions options) {
        this.accepted = new ManyToOneConcurrentArrayQueue<>(options.queueCapacity());
        int ringBytes = BitUtil.findNextPositivePowerOfTwo(options.outcomeBufferBytes());
        this.outcomes = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.agent = new JournalWriterAgent(journal, recovered, options, accepted, outcomes, offersInProgress);
        this.idle = new WakeableIdleStrategy(options.maxParkNanos(), agent::hasWork);
        this.runner = new AgentRunner(idle, t -> LOG.error("journal writer error", t), null, agent);
        this.thread = AgentRunner.startOnThread(runner);
    }

    /**
     * Starts the writer thread. {@code recovered} must come from {@link Recovery#recover} on this journal: its
     * pending set is handed over to the writer thread and must not be modified by the caller afterwards (its
     * counters stay readable).
     */
    public static JournalWriter start(Journal journal, RecoveryResult recovered, WriterOptions options) {
        return new JournalWriter(Objects.requireNonNull(journal), Objects.requireNonNull(recovered),
            Objects.requireNonNull(options));
    }

    /**
     * Hands a complete message to the writer. Returns false, without calling back, if the queue is full or the
     * writer is closing or failed; otherwise exactly one method of {@code callback} runs later on the writer
     * thread. The caller must not touch {@code message.body()} until then.
     */
    @Override
    public boolean offer(AcceptedMessage message, AppendCallback callback) {
        Objects.requireNonNull(callback, "callback");
        offersInProgress.getAndIncrement();
        try {
            if (closing || agent.failure() != null) {
                return false;
            }
            message.callback = callback;
            if (!accepted.offer(message)) {
                message.callback = null;
                return false;
            }
        } finally {
            offersInProgress.getAndDecrement();
        }
        idle.wake(thread);
        return true;
    }

    /**
     * Records the final outcome of one recipient (OUTCOME record). Returns false if the outcome buffer is full or
     * the writer is closing; otherwise the {@link OutcomeListener} hears about it after its group commit. An outcome
     * for a recipient that is not pending is dropped and reported with {@code recorded = false}.
     */
    public boolean offerOutcome(long messageId, int recipientIndex, OutcomeCode outcome, long timeMillis) {
        return offerOutcome(messageId, recipientIndex, outcome, outcome.defaultReason(), timeMillis);
    }

    /** As above, with the bounce reason the OUTCOME record carries ({@code delivered} for a delivery). */
    public boolean offerOutcome(long messageId, int recipientIndex, OutcomeCode outcome, BounceReason reason,
                                long timeMillis) {
        if (recipientIndex < 0 || recipientIndex > RecipientBlock.MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipient index " + recipientIndex);
        }
        offersInProgress.getAndIncrement();
        try {
            if (closing) {
                return false;
            }
            int index = outcomes.tryClaim(JournalWriterAgent.OUTCOME_MSG_TYPE, JournalWriterAgent.OUTCOME_MSG_LENGTH);
            if (index < 0) {
                return false;
            }
            AtomicBuffer buffer = outcomes.buffer();
            buffer.putLong(index, messageId);
            buffer.putLong(index + 8, timeMillis);
            buffer.putInt(index + 16, recipientIndex);
            buffer.putInt(index + 20, outcome.code() | (reason.code() & 0xff) << 8);
            outcomes.commit(index);
        } finally {
            offersInProgress.getAndDecrement();
        }
        idle.wake(thread);
        return true;
    }

    /**
     * Records that one recipient failed temporarily (DEFERRED record): {@code attempts} failed attempts so far
     * (at least 1), due again at {@code nextDueMillis}, after reply {@code replyCode} (0 when there was none, e.g.
     * a connection failure; at most 999) with {@code replyText} (may be null; cut to
     * {@link DeferredDescriptor#MAX_REPLY_TEXT_BYTES} UTF-8 bytes at a character boundary). Returns false if the
     * buffer is full or the writer is closing; otherwise the {@link DeferredListener} hears about it after its
     * group commit, and the pending set (and later checkpoints) carry the schedule. A deferral for a recipient that
     * is not pending is dropped and reported with {@code recorded = false}. Thread-safe; allocates nothing (the
     * text is encoded straight into the ring buffer).
     *
     * @throws IllegalArgumentException for an out-of-range recipient index, attempts or reply code
     */
    public boolean offerDeferred(long messageId, int recipientIndex, int attempts, long nextDueMillis,
                                 int replyCode, String replyText) {
        return offerDeferred(messageId, recipientIndex, attempts, nextDueMillis, replyCode, replyText, null);
    }

    /**
     * As above, naming the MX host whose reply it was ({@code mxHost}; null when Sluice decided it: DNS, connection
     * trouble, a local refusal), cut to {@link DeferredDescriptor#MAX_MX_HOST_BYTES}.
     */
    public boolean offerDeferred(long messageId, int recipientIndex, int attempts, long nextDueMillis,
                                 int replyCode, String replyText, String mxHost) {
        return offerDeferred(messageId, recipientIndex, attempts, nextDueMillis, replyCode, replyText, mxHost,
                BounceReason.UNDEFINED);
    }

    /** As above, with the bounce reason of the reply (the DEFERRED record carries it). */
    public boolean offerDeferred(long messageId, int recipientIndex, int attempts, long nextDueMillis,
                                 int replyCode, String replyText, String mxHost, BounceReason reason) {
        if (recipientIndex < 0 || recipientIndex > RecipientBlock.MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipient index " + recipientIndex);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        if (replyCode < 0 || replyCode > DeferredDescriptor.MAX_REPLY_CODE) {
            throw new IllegalArgumentException("reply code " + replyCode);
        }
        int textLength = CappedUtf8.length(replyText, DeferredDescriptor.MAX_REPLY_TEXT_BYTES);
        int mxLength = CappedUtf8.length(mxHost, DeferredDescriptor.MAX_MX_HOST_BYTES);
        offersInProgress.getAndIncrement();
        try {
            if (closing) {
                return false;
            }
            int index = outcomes.tryClaim(JournalWriterAgent.DEFERRED_MSG_TYPE,
                JournalWriterAgent.DEFERRED_MSG_HEADER + textLength + mxLength);
            if (index < 0) {
                return false;
            }
            AtomicBuffer buffer = outcomes.buffer();
            buffer.putLong(index, messageId);
            buffer.putLong(index + 8, nextDueMillis);
            buffer.putInt(index + 16, recipientIndex);
            buffer.putInt(index + 20, attempts);
            buffer.putInt(index + 24, replyCode | (reason.code() & 0xff) << 16);
            buffer.putInt(index + 28, mxLength);
            CappedUtf8.write(replyText, textLength, buffer, index + JournalWriterAgent.DEFERRED_MSG_HEADER);
            CappedUtf8.write(mxHost, mxLength, buffer, index + JournalWriterAgent.DEFERRED_MSG_HEADER + textLength);
            outcomes.commit(index);
        } finally {
            offersInProgress.getAndDecrement();
        }
        idle.wake(thread);
        return true;
    }

    /** Asks for a checkpoint at the next cycle, even if the interval has not passed. Thread-safe. */
    public void requestCheckpoint() {
        agent.checkpointRequested = true;
        idle.wake(thread);
    }

    /**
     * A copy of pending message {@code id} as the writer thread sees it at its next cycle (the pending set is that
     * thread's), or null in the future when the message is not pending (unknown, or every recipient final). Any
     * thread. The future fails at once with {@link IllegalStateException} when too many requests wait, and never
     * completes after the writer stopped: wait with a timeout.
     */
    public java.util.concurrent.CompletableFuture<PendingView> inspect(long id) {
        var answer = new java.util.concurrent.CompletableFuture<PendingView>();
        if (agent.lookups.offer(new JournalWriterAgent.PendingLookup(id, answer))) {
            idle.wake(thread);
        } else {
            answer.completeExceptionally(new IllegalStateException("too many inspect requests waiting"));
        }
        return answer;
    }

    /** Messages offered but not yet taken by the writer (approximate). */
    public int queuedMessages() {
        return accepted.size();
    }

    /**
     * The error that stopped the writer (a failed sync, or a fault while writing, e.g. {@link InternalError} from
     * a SIGBUS when the disk filled under a mapped page), or null while healthy. Once set, offers return false,
     * everything waiting has been failed, and nothing more is acknowledged: the daemon should stop and restart
     * (recovery keeps every acknowledged message).
     */
    public Throwable failure() {
        return agent.failure();
    }

    /**
     * Stops accepting offers, appends and syncs everything already offered (callbacks included), writes a final
     * checkpoint unless disabled, then stops the thread and closes the appenders. Idempotent. Close the
     * {@link Journal} afterwards.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        agent.closing = true;
        LockSupport.unpark(thread); // unconditionally: the agent may be parked with nothing queued
        try {
            // In slices, so that a writer thread that died (it should not: doWork catches everything) is noticed
            // at once instead of after the whole wait.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            while (!agent.drained.await(100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    LOG.error("journal writer thread is gone; closing without draining");
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.error("journal writer did not drain within {} s; stopping it anyway", CLOSE_WAIT_SECONDS);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.close();
    }
}
