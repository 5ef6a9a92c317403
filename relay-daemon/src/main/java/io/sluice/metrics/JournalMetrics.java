package io.sluice.metrics;

/**
 * The journal writer's metric handles: append latency, sync (msync) latency and group-commit batch size.
 *
 * <p>Role: the hot-path face of {@link SluiceMetrics} for the journal writer agent. The histograms carry no labels,
 * so recording is a bucket search plus atomic adds: no allocation, no lookup.
 *
 * <p>Threading: thread-safe; in practice only the journal writer thread records.
 */
public final class JournalMetrics {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final BucketHistogram.Recorder appendSeconds;
    private final BucketHistogram.Recorder syncSeconds;
    private final BucketHistogram.Recorder batchSize;

    JournalMetrics(BucketHistogram.Recorder appendSeconds, BucketHistogram.Recorder syncSeconds,
                   BucketHistogram.Recorder batchSize) {
        this.appendSeconds = appendSeconds;
        this.syncSeconds = syncSeconds;
        this.batchSize = batchSize;
    }

    /** One record (or one ACCEPTED+QUEUED pair) took this long to append, in nanoseconds. */
    public void appendNanos(long nanos) {
        appendSeconds.observe(nanos / NANOS_PER_SECOND);
    }

    /** One group-commit {@code sync()} took this long, in nanoseconds. */
    public void syncNanos(long nanos) {
        syncSeconds.observe(nanos / NANOS_PER_SECOND);
    }

    /** One group commit made this many messages durable. */
    public void batchSize(int messages) {
        batchSize.observe(messages);
    }
}
