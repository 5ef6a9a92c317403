package io.sluice.metrics;

/**
 * What {@link JournalStorageMetrics} reads at each scrape: the journal's disk use per queue and its compaction
 * totals. The metrics package is a leaf, so the daemon adapts the journal to this view. Implementations are called
 * on the scrape thread and must be safe from any thread.
 */
public interface JournalStorage {
    /** Bytes of the cycle files of {@code queue} ({@code bodies}, {@code state} or {@code events}). */
    long diskBytes(String queue);

    /** Pending messages copied out of old {@code bodies/} cycles (each with a durable RELOCATED). */
    long messagesRelocated();

    /** Bytes of those copies. */
    long bytesRelocated();

    /** Cycle files deleted from {@code queue} ({@code bodies} or {@code state}) by compaction and retention. */
    long cyclesDeleted(String queue);

    /** Pending messages compaction could not copy (their cycle stays). */
    long relocationFailures();
}
