package io.sluice.journal;

import java.time.Duration;
import java.util.Objects;
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
    /** Bytes of the outcome ring buffer (32 bytes per outcome: about 32k outcomes). */
    public static final int DEFAULT_OUTCOME_BUFFER_BYTES = 1 << 20;
    /** Longest the writer parks when idle; producers unpark it on offer, so this only paces timers. */
    public static final long DEFAULT_MAX_PARK_NANOS = 10_000_000L;

    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private int outcomeBufferBytes = DEFAULT_OUTCOME_BUFFER_BYTES;
    private long maxParkNanos = DEFAULT_MAX_PARK_NANOS;
    private Syncer syncer;
    private JournalObserver observer = JournalObserver.NONE;
    private OutcomeListener outcomeListener = OutcomeListener.NONE;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private Duration checkpointInterval;
    private boolean checkpointOnClose = true;

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

    /** Rounded up to a power of two. */
    public WriterOptions outcomeBufferBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("outcome buffer must be at least 1 KiB");
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

    EpochClock clock() {
        return clock;
    }

    Duration checkpointIntervalOr(Duration fallback) {
        return checkpointInterval != null ? checkpointInterval : fallback;
    }

    boolean checkpointOnClose() {
        return checkpointOnClose;
    }
}
