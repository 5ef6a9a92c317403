package io.sluice.journal;

import java.util.NavigableSet;

/**
 * Deletes {@code state/} cycle files that recovery no longer reads: those entirely before the cycle holding the
 * BEGIN of the previous durable checkpoint (recovery starts at the last one, see {@link Recovery}, and falls back
 * to the one before if the last fails its cross-checks), and older than {@code journal.compact_after} (so recent
 * history stays for {@code journal dump} and forensics).
 *
 * <p>Consequence: a full replay ({@code Recovery.replayAll}) then sees only what remains, so it is no longer an
 * oracle for the complete history, only recovery from the checkpoint is; and a checkpoint that fails its
 * cross-checks can no longer be repaired by a full replay. Hence the writer reports a checkpoint here only after
 * the sync that made it durable returned, whatever {@code journal.sync} says.
 *
 * <p>Threading: the journal writer thread. Runs at most once per second of journal time, or when a newer durable
 * checkpoint arrives; each run lists the cycles once.
 */
final class StateRetention {
    private final CycleFiles cycles;
    private final long keepMillis;
    private final CompactionStats stats;
    /** Cycle of the last durable checkpoint's BEGIN. */
    private int lastCheckpointCycle = Integer.MIN_VALUE;
    /** Cycle of the durable checkpoint before it: nothing before this one is needed. */
    private int checkpointCycle = Integer.MIN_VALUE;
    private long nextRunMs = Long.MIN_VALUE;

    StateRetention(Journal journal, long keepMillis) {
        this.cycles = new CycleFiles(journal.state());
        this.keepMillis = keepMillis;
        this.stats = journal.compactionStats();
    }

    /** A checkpoint whose BEGIN is at {@code beginIndex} is durable (its sync returned). */
    void checkpointDurable(long beginIndex) {
        checkpointCycle = lastCheckpointCycle;
        lastCheckpointCycle = cycles.cycleOf(beginIndex);
        nextRunMs = Long.MIN_VALUE;
    }

    /** Deletes what is no longer needed; returns the number of cycle files deleted. */
    int run(long nowMillis) {
        if (checkpointCycle == Integer.MIN_VALUE || nowMillis < nextRunMs) {
            return 0;
        }
        nextRunMs = nowMillis + BodiesCompactor.CHECK_INTERVAL_MS;
        int last = Math.min(checkpointCycle - 1, cycles.lastCycleEndedBefore(nowMillis, keepMillis));
        NavigableSet<Long> old = cycles.existingThrough(last);
        int deleted = 0;
        for (long c : old) {
            if (cycles.delete((int) c)) {
                deleted++;
                stats.stateCycleDeleted();
            }
        }
        if (deleted > 0) {
            cycles.refresh();
        }
        return deleted;
    }
}
