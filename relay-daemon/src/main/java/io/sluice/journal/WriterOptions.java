package io.sluice.journal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Tuning and hooks for a {@link JournalWriter}. Every value has a named default; setters return {@code this}.
 * Durability ({@code journal.sync}) and the checkpoint interval come from the journal's settings unless set here.
 */
public final class WriterOptions {
    /** Messages that may wait for the writer; offers beyond it return false. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    /** Most messages appended per group commit. */
    public static final int DEFAULT_MAX_BATCH = 1024;
    /**
     * Bytes of the outcome ring buffer, shared by outcomes (32 bytes each: about 32k) and deferrals (40 bytes plus
     * the reply text and MX host, at most 807).
     */
    public static final int DEFAULT_OUTCOME_BUFFER_BYTES = 1 << 20;
    /** Smallest outcome ring buffer: Agrona caps one message at 1/8 of it, and a deferral may take 807 bytes. */
    public static final int MIN_OUTCOME_BUFFER_BYTES = 8 << 10;
    /** Longest the writer parks when idle; producers unpark it on offer, so this only paces timers. */
    public static final long DEFAULT_MAX_PARK_NANOS = 10_000_000L;

    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private int outcomeBufferBytes = DEFAULT_OUTCOME_BUFFER_BYTES;
    private long maxParkNanos = DEFAULT_MAX_PARK_NANOS;
    private Syncer syncer;
    private JournalObserver observer = JournalObserver.NONE;
    private OutcomeListener outcomeListener = OutcomeListener.NONE;
    private DeferredListener deferredListener = DeferredListener.NONE;
    private QueuedListener queuedListener = QueuedListener.NONE;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private Duration checkpointInterval;
    private Duration compactAfter;
    private boolean checkpointOnClose = true;
    private LongSupplier minFreeBytes;
    private java.util.function.Consumer<Throwable> failureListener = t -> { };

    public WriterOptions queueCapacity(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("queue capacity must be at least 2");
        }
        this.queueCapacity = capacity;
        return this;
    }

    public WriterOptions maxBatch(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1");
        }
        this.maxBatch = maxBatch;
        return this;
    }

    /** Rounded up to a power of two; at least {@link #MIN_OUTCOME_BUFFER_BYTES}. */
    public WriterOptions outcomeBufferBytes(int bytes) {
        if (bytes < MIN_OUTCOME_BUFFER_BYTES) {
            throw new IllegalArgumentException("outcome buffer must be at least " + MIN_OUTCOME_BUFFER_BYTES + " bytes");
        }
        this.outcomeBufferBytes = bytes;
        return this;
    }

    public WriterOptions maxParkNanos(long nanos) {
        this.maxParkNanos = Math.max(1_000, nanos);
        return this;
    }

    /** Replaces the default {@link ChronicleSyncer}; the writer closes it. */
    public WriterOptions syncer(Syncer syncer) {
        this.syncer = Objects.requireNonNull(syncer);
        return this;
    }

    public WriterOptions observer(JournalObserver observer) {
        this.observer = Objects.requireNonNull(observer);
        return this;
    }

    public WriterOptions outcomeListener(OutcomeListener listener) {
        this.outcomeListener = Objects.requireNonNull(listener);
        return this;
    }

    public WriterOptions deferredListener(DeferredListener listener) {
        this.deferredListener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * Hears about each message once it is durable, on the writer thread, right before its {@link AppendCallback}.
     * Must not block: hand off to your own queue (see {@link QueuedListener}).
     */
    public WriterOptions queuedListener(QueuedListener listener) {
        this.queuedListener = Objects.requireNonNull(listener);
        return this;
    }

    /** Clock for checkpoint timing and free-space refresh. */
    public WriterOptions clock(EpochClock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** Overrides {@code journal.checkpoint_interval}. */
    public WriterOptions checkpointInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
        this.checkpointInterval = interval;
        return this;
    }

    /**
     * Overrides {@code journal.compact_after}, without its lower bound (tests roll cycles every second and compact
     * after a few).
     */
    public WriterOptions compactAfter(Duration age) {
        if (age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("compact-after age must be positive");
        }
        this.compactAfter = age;
        return this;
    }

    /**
     * {@code journal.min_free} as in force now (the daemon passes the reloadable setting); below twice this much
     * free space compaction deletes emptied cycles without waiting for {@code compact_after}. Default: the
     * journal's settings at open.
     */
    public WriterOptions minFreeBytes(LongSupplier minFree) {
        this.minFreeBytes = Objects.requireNonNull(minFree);
        return this;
    }

    /**
     * Hears, once and on the writer thread, that the writer failed for good ({@link JournalWriter#failure()}): a
     * sync error, or a fault while appending (a full disk under a mapped page). Must not block. The daemon stops
     * with a non-zero exit status, so that the service manager restarts it and recovery takes over.
     */
    public WriterOptions failureListener(java.util.function.Consumer<Throwable> listener) {
        this.failureListener = Objects.requireNonNull(listener);
        return this;
    }

    /** Whether {@link JournalWriter#close()} writes a final checkpoint (default true: fast restarts). */
    public WriterOptions checkpointOnClose(boolean enabled) {
        this.checkpointOnClose = enabled;
        return this;
    }

    int queueCapacity() {
        return queueCapacity;
    }

    int maxBatch() {
        return maxBatch;
    }

    int outcomeBufferBytes() {
        return outcomeBufferBytes;
    }

    long maxParkNanos() {
        return maxParkNanos;
    }

    Syncer syncerOrDefault() {
        return syncer != null ? syncer : new ChronicleSyncer();
    }

    JournalObserver observer() {
        return observer;
    }

    OutcomeListener outcomeListener() {
        return outcomeListener;
    }

    DeferredListener deferredListener() {
        return deferredListener;
    }

    QueuedListener queuedListener() {
        return queuedListener;
    }

    EpochClock clock() {
        return clock;
    }

    Duration checkpointIntervalOr(Duration fallback) {
        return checkpointInterval != null ? checkpointInterval : fallback;
    }

    Duration compactAfterOr(Duration fallback) {
        return compactAfter != null ? compactAfter : fallback;
    }

    LongSupplier minFreeBytesOr(LongSupplier fallback) {
        return minFreeBytes != null ? minFreeBytes : fallback;
    }

    java.util.function.Consumer<Throwable> failureListener() {
        return failureListener;
    }

    boolean checkpointOnClose() {
        return checkpointOnClose;
    }
}
