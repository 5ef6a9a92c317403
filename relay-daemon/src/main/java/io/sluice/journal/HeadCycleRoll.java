package io.sluice.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Moves the {@code bodies/} appender off a cycle that has ended, so that the cycle can be deleted once nothing in
 * it is pending. Chronicle rolls only when something is appended, and {@link CycleFiles#delete} never deletes the
 * newest file (the one the appender writes): without a roll, the last burst of mail before a quiet spell, or
 * before a restart, would keep its whole cycle on disk for good (a journal that filled its disk to
 * {@code journal.min_free} stayed refused after everything was delivered).
 *
 * <p>How: once the cycle the appender last wrote records to has ended, it appends one Chronicle metadata document
 * ({@code sluiceRoll: <journal time>}) to the current cycle. Metadata documents take no index and are invisible to
 * tailers ({@code readingDocument()} skips them), so {@link BodiesReader}, {@link JournalDump}, compaction's
 * copies and every index stay as they were; recovery reads {@code state/} only. A cycle that holds nothing but
 * such a marker is not rolled again, so an idle journal creates one small file, not one per cycle.
 *
 * <p>Threading: the journal writer thread (it owns the appender); checks at most once per
 * {@link #CHECK_INTERVAL_MS} of journal time. The caller syncs after a roll (the new file's entry and header).
 * Failure: an append error propagates; the next check tries again. With less than
 * {@link SpaceReservation#NEW_FILE_BYTES} free it waits (creating the new file could fault on a full disk).
 */
final class HeadCycleRoll {
    /** Journal time between checks. */
    static final long CHECK_INTERVAL_MS = 1_000;

    private final SingleChronicleQueue queue;
    private final FreeSpace freeSpace;
    /** Records were appended to the head cycle since the last roll; true at start (the newest file may hold some). */
    private boolean headHasRecords = true;
    private long nextCheckMs = Long.MIN_VALUE;

    HeadCycleRoll(SingleChronicleQueue queue, FreeSpace freeSpace) {
        this.queue = queue;
        this.freeSpace = freeSpace;
    }

    /** The appender wrote a record (an ACCEPTED or a compaction copy). */
    void recordWritten() {
        headHasRecords = true;
    }

    /**
     * Rolls if the head cycle holds records and has ended; returns the cycle the appender is in after the roll,
     * or {@link Integer#MIN_VALUE} if it did not roll.
     */
    int rollIfEnded(long nowMillis, ExcerptAppender appender) {
        if (!headHasRecords || nowMillis < nextCheckMs) {
            return Integer.MIN_VALUE;
        }
        nextCheckMs = nowMillis + CHECK_INTERVAL_MS;
        int newest = queue.lastCycle();
        if (newest == Integer.MIN_VALUE || queue.cycle() <= newest) {
            return Integer.MIN_VALUE; // no file yet, or the newest is still the current cycle
        }
        if (freeSpace.bytes() < SpaceReservation.NEW_FILE_BYTES) {
            return Integer.MIN_VALUE; // a new file on a full disk would fault; try again when there is room
        }
        try (DocumentContext dc = appender.writingDocument(true)) {
            try {
                dc.wire().write("sluiceRoll").int64(nowMillis);
            } catch (RuntimeException e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        headHasRecords = false;
        return appender.cycle();
    }
}
