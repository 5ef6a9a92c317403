package io.sluice.daemon;

import io.sluice.journal.CompactionStats;
import io.sluice.journal.Journal;
import io.sluice.metrics.JournalStorage;

/**
 * The journal seen as the metrics package's {@link JournalStorage} (metrics is a leaf and cannot import journal):
 * disk bytes per queue from {@link Journal#diskBytes}, compaction totals from {@link Journal#compactionStats}.
 * Read on the scrape thread; both sources are safe from any thread.
 */
final class JournalStorageView implements JournalStorage {
    private final Journal journal;
    private final CompactionStats stats;

    JournalStorageView(Journal journal) {
        this.journal = journal;
        this.stats = journal.compactionStats();
    }

    @Override
    public long diskBytes(String queue) {
        return journal.diskBytes(queue);
    }

    @Override
    public long messagesRelocated() {
        return stats.messagesRelocated();
    }

    @Override
    public long bytesRelocated() {
        return stats.bytesRelocated();
    }

    @Override
    public long cyclesDeleted(String queue) {
        return switch (queue) {
            case "bodies" -> stats.bodiesCyclesDeleted();
            case "state" -> stats.stateCyclesDeleted();
            default -> throw new IllegalArgumentException("no compacted queue " + queue);
        };
    }

    @Override
    public long relocationFailures() {
        return stats.relocationFailures();
    }
}
