package io.sluice.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.NavigableSet;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * Cycle arithmetic and cycle-file deletion for one Chronicle queue of the journal, the way Chronicle supports it
 * (2026.4 has no retention of its own): ask the queue for the cycle's store to learn its file, release the store,
 * delete the file, then {@link SingleChronicleQueue#refreshDirectoryListing()} so the queue's first cycle moves on.
 *
 * <p>Readers: a tailer that still holds the deleted cycle's store keeps reading it (the mapping outlives the
 * directory entry; the space is freed when it moves on); a tailer that moves to an index in a deleted cycle gets
 * {@code false} from {@code moveToIndex}; {@code toStart()} and sequential reads continue at the next cycle.
 * Threading: the journal writer thread only (the only thread that deletes). Never call it for the cycle an
 * appender is writing.
 */
final class CycleFiles {
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final long cycleMillis;

    CycleFiles(SingleChronicleQueue queue) {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.cycleMillis = rollCycle.lengthInMillis();
    }

    /** The cycle an index of this queue lies in. */
    int cycleOf(long index) {
        return rollCycle.toCycle(index);
    }

    /**
     * The newest cycle that ended at least {@code ageMillis} before {@code nowMillis} (a cycle's files may then be
     * "older than" that age); cycles after it are younger.
     */
    int lastCycleEndedBefore(long nowMillis, long ageMillis) {
        return (int) (Math.floorDiv(nowMillis - ageMillis - queue.epoch(), cycleMillis) - 1);
    }

    /** Cycles with a file, from the first through {@code lastCycle}; empty if none. Allocates: once per pass. */
    NavigableSet<Long> existingThrough(int lastCycle) {
        try {
            return list(lastCycle);
        } catch (IllegalStateException e) {
            // Chronicle's cached listing named a file that is gone (another thread's tailer raced a deletion).
            queue.refreshDirectoryListing();
            return list(lastCycle);
        }
    }

    private NavigableSet<Long> list(int lastCycle) {
        int first = queue.firstCycle();
        int newest = queue.lastCycle();
        if (first == Integer.MAX_VALUE || first > lastCycle || newest < first) {
            return Collections.emptyNavigableSet();
        }
        // Chronicle wants both bounds to have files, so list to the newest file and cut.
        NavigableSet<Long> all = queue.listCyclesBetween(first, newest);
        return lastCycle >= newest ? all : all.headSet((long) lastCycle, true);
    }

    /**
     * Deletes the file of {@code cycle}; false if it had none or if it is the newest file of the queue. The newest
     * file is the one the appender writes, or will write again after a restart: deleting it under Chronicle makes
     * the appender re-create it while its old store is still held, and the appender then waits for an
     * "un-acquirable segment" (seen once in a CI run: the writer stalled for two minutes). Call {@link #refresh()}
     * after a batch of these.
     */
    boolean delete(int cycle) {
        queue.refreshDirectoryListing();
        if (cycle >= queue.lastCycle()) {
            return false;
        }
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            return false;
        }
        File file;
        try {
            file = store.file();
        } finally {
            queue.closeStore(store);
        }
        try {
            return Files.deleteIfExists(file.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException("deleting journal cycle file " + file, e);
        }
    }

    /** Makes the queue see deletions (its first cycle). */
    void refresh() {
        queue.refreshDirectoryListing();
    }
}
