package io.sluice.journal;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Int2IntCounterMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code bodies/} bounded: a cycle file older than {@code journal.compact_after} is deleted once no pending
 * message lives in it, after its still-pending messages were copied to the head (docs/architecture.md "Journal"). A
 * recipient deferred for days thus pins one copy of its message, never the gigabytes of delivered mail around it.
 *
 * <p>Inputs (writer thread): {@link #added} and {@link #removed} as messages enter and leave the pending set, which
 * keep a pending count per cycle (no scans per record); {@link #doWork} once per writer cycle. A pass starts at most
 * once per second of journal time: it deletes old cycles whose count is 0 at once; if some hold pending messages it
 * scans the pending set once for them, then copies them in slices of at most {@link #SLICE_MESSAGES} messages or
 * {@link #SLICE_BYTES} bytes: each ACCEPTED record byte for byte to the head, then a RELOCATED record
 * ({@link RelocatedDescriptor}) to {@code state/}, and moves the message's index in the pending set (so later
 * checkpoints carry it). The writer then syncs both queues whatever {@code journal.sync} says, and only after
 * that returns {@link #afterSync} publishes the new indexes ({@link Relocations}) and, once the pass has copied
 * everything, deletes the emptied cycles. Nothing is deleted that a durable record still needs, and a crash
 * before the sync leaves the old cycle in place (recovery then uses the old index, or the new one if the
 * RELOCATED made it).
 *
 * <p>Latency: slices run when the writer cycle had nothing else to do; under constant load one slice per
 * {@link #BUSY_SLICE_INTERVAL_NANOS}, so incoming mail waits at most one slice's copy per group commit.
 * Allocation: one id list per pass and the cycle listing; none per message beyond what Chronicle does.
 * Failures: a message whose record is missing or unreadable is logged and counted
 * ({@link CompactionStats#relocationFailures()}); its cycle stays, and the next pass waits
 * {@link #RETRY_AFTER_FAILURE_MS} instead of rescanning the pending set every second.
 *
 * <p>Short disk (free space below twice {@code journal.min_free}, the figure behind ingress's {@code 452}):
 * cycles that hold no pending message are deleted as soon as they have ended, without waiting for
 * {@code compact_after}, and an ended cycle at most a quarter of whose records are still pending is emptied at
 * once as well ({@link #worthCopyingEarly}; one full of pending mail, or of copies, would only be copied round);
 * and a pass gives up copying when free space falls below a quarter of {@code min_free} plus one slice (where
 * dispatch stops too), keeping the old cycles. The head cycle is rolled by {@link HeadCycleRoll} once it has
 * ended, so the last burst before a quiet spell or a restart is not pinned by the appender.
 */
final class BodiesCompactor {
    /** Most messages copied per slice (one group commit). */
    static final int SLICE_MESSAGES = 32;
    /** Most bytes copied per slice; a single larger message is still copied whole. */
    static final long SLICE_BYTES = 8L << 20;
    /** Under load, the least time between slices. */
    static final long BUSY_SLICE_INTERVAL_NANOS = 100_000_000L;
    /** Journal time between passes looking for old cycles. */
    static final long CHECK_INTERVAL_MS = 1_000;
    /** Journal time before the next pass after one left messages it could not move (each pass scans the set). */
    static final long RETRY_AFTER_FAILURE_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(BodiesCompactor.class);

    private final Journal journal;
    private final PendingSet pending;
    private final CycleFiles cycles;
    private final long compactAfterMs;
    private final CompactionStats stats;
    private final HeadCycleRoll headRoll;
    private final LongSupplier minFreeBytes;
    /** Pending messages per bodies cycle; a cycle without an entry holds none. */
    private final Int2IntCounterMap occupancy = new Int2IntCounterMap(0);
    private final LongArrayList toMove = new LongArrayList();
    /** The old cycles (with a file) the current pass empties. */
    private final IntHashSet passCycles = new IntHashSet();
    /** The same, ordered (for deletion and logs). */
    private final TreeSet<Long> passSet = new TreeSet<>();
    /**
     * Records written per cycle by this writer (ACCEPTED and copies); 0 for cycles from before the start, which
     * are therefore never compacted early.
     */
    private final Int2IntCounterMap records = new Int2IntCounterMap(0);
    private final Consumer<PendingMessage> collector = this::collect;
    private final long[] stagedIds = new long[SLICE_MESSAGES];
    private final long[] stagedIndexes = new long[SLICE_MESSAGES];
    private final long[] stagedBytes = new long[SLICE_MESSAGES];
    private int staged;
    private int moveCursor;
    private boolean moving;
    /** A head roll was appended and not yet synced. */
    private boolean rolled;
    /** The cycle the bodies appender last wrote to: never deleted, as Chronicle still holds it open. */
    private int headCycle = Integer.MIN_VALUE;
    private long nextCheckMs = Long.MIN_VALUE;
    private long lastNowMs;
    private long lastSliceNanos;
    private ExcerptTailer tailer;

    /**
     * @param minFreeBytes {@code journal.min_free} as in force now (reloadable); with {@link Journal#freeBytes()}
     *                     it decides when the disk is short
     */
    BodiesCompactor(Journal journal, PendingSet pending, long compactAfterMs, LongSupplier minFreeBytes) {
        this.journal = journal;
        this.pending = pending;
        this.cycles = new CycleFiles(journal.bodies());
        this.compactAfterMs = compactAfterMs;
        this.stats = journal.compactionStats();
        this.headRoll = new HeadCycleRoll(journal.bodies(), journal.freeSpace());
        this.minFreeBytes = minFreeBytes;
    }

    /** Counts the recovered pending set per cycle; call once on the writer thread before anything else. */
    void start() {
        pending.forEach(m -> occupancy.incrementAndGet(cycles.cycleOf(m.bodiesIndex())));
    }

    void added(long bodiesIndex) {
        headCycle = cycles.cycleOf(bodiesIndex);
        headRoll.recordWritten();
        occupancy.incrementAndGet(headCycle);
        records.incrementAndGet(headCycle);
    }

    /** A message left the pending set (its last recipient completed). */
    void removed(long messageId, long bodiesIndex) {
        occupancy.decrementAndGet(cycles.cycleOf(bodiesIndex));
        journal.relocations().remove(messageId);
    }

    /** Pending messages whose ACCEPTED record lies in {@code cycle}. */
    int pendingIn(int cycle) {
        return occupancy.get(cycle);
    }

    /**
     * True while relocations or a head roll were appended that {@link #afterSync} has not yet seen: the caller
     * must sync both queues first.
     */
    boolean hasStaged() {
        return staged > 0 || rolled;
    }

    /**
     * One step: maybe start a pass, or copy one slice. Returns the work done (cycles deleted plus messages
     * copied); when {@link #hasStaged()} afterwards, the caller must sync both queues, then call {@link #afterSync}.
     *
     * @param nowMillis journal time ({@link Journal#time()}), which the queues roll by
     * @param idle      the writer cycle appended nothing else
     */
    int doWork(long nowMillis, boolean idle, ExcerptAppender bodiesAppender, ExcerptAppender stateAppender) {
        lastNowMs = nowMillis;
        int newHead = headRoll.rollIfEnded(nowMillis, bodiesAppender);
        if (newHead != Integer.MIN_VALUE) {
            headCycle = newHead;
            rolled = true;
            nextCheckMs = Long.MIN_VALUE; // the ended cycle may go at the next step, once the roll is synced
            return 1;
        }
        if (!moving) {
            if (nowMillis < nextCheckMs) {
                return 0;
            }
            nextCheckMs = nowMillis + CHECK_INTERVAL_MS;
            return startPass(nowMillis);
        }
        long nowNanos = System.nanoTime();
        if (!idle && nowNanos - lastSliceNanos < BUSY_SLICE_INTERVAL_NANOS) {
            return 0;
        }
        lastSliceNanos = nowNanos;
        return slice(bodiesAppender, stateAppender);
    }

    /** The copies of the last slice are durable: publish them, and finish the pass if it copied everything. */
    void afterSync() {
        rolled = false;
        Relocations relocations = journal.relocations();
        for (int i = 0; i < staged; i++) {
            relocations.put(stagedIds[i], stagedIndexes[i]);
            stats.relocated(stagedBytes[i]);
        }
        staged = 0;
        if (moving && moveCursor >= toMove.size()) {
            finishPass();
        }
    }

    /** Releases the reading tailer; writer thread, at close. */
    void close() {
        closeTailer();
    }

    private int startPass(long nowMillis) {
        int deleted = 0;
        NavigableSet<Long> ended = Collections.emptyNavigableSet();
        if (diskShort()) {
            ended = cycles.existingThrough(cycles.lastCycleEndedBefore(nowMillis, 0));
            deleted = deleteEmpty(ended);
        }
        int last = cycles.lastCycleEndedBefore(nowMillis, compactAfterMs);
        NavigableSet<Long> old = cycles.existingThrough(last);
        deleted += deleteEmpty(old);
        passSet.clear();
        for (long c : old) {
            if (occupancy.get((int) c) > 0) {
                passSet.add(c);
            }
        }
        for (long c : ended) {
            if (c > last && worthCopyingEarly((int) c)) {
                passSet.add(c);
            }
        }
        if (passSet.isEmpty()) {
            return deleted;
        }
        passCycles.clear();
        for (long c : passSet) {
            passCycles.add((int) c);
        }
        toMove.clear();
        moveCursor = 0;
        pending.forEach(collector);
        moving = true;
        tailer = journal.bodies().createTailer();
        LOG.info("compacting bodies/: copying {} pending messages out of {} cycles up to {}", toMove.size(),
            passSet.size(), passSet.last());
        return deleted + 1;
    }

    /**
     * A young cycle, on a short disk, is emptied early only when at most a quarter of the records this writer put
     * in it are still pending: copying then frees most of it, and a cycle of copies (or of mail for a destination
     * that is down) is never copied round again.
     */
    private boolean worthCopyingEarly(int cycle) {
        int pinned = occupancy.get(cycle);
        return pinned > 0 && 4L * pinned <= records.get(cycle);
    }

    /** Only messages in cycles that still have a file: one whose record is already gone cannot be moved. */
    private void collect(PendingMessage m) {
        if (passCycles.contains(cycles.cycleOf(m.bodiesIndex()))) {
            toMove.addLong(m.id());
        }
    }

    /** Free space below twice {@code journal.min_free}: ingress is refused, or soon will be. */
    private boolean diskShort() {
        return journal.freeBytes() < 2 * minFreeBytes.getAsLong();
    }

    private int slice(ExcerptAppender bodiesAppender, ExcerptAppender stateAppender) {
        if (journal.freeBytes() < minFreeBytes.getAsLong() / 4 + SLICE_BYTES && moveCursor < toMove.size()) {
            LOG.warn("bodies/ compaction stops copying: the journal's disk is nearly full ({} bytes free)",
                journal.freeBytes());
            moveCursor = toMove.size(); // the uncopied rest keeps its cycles; finishPass retries later
        }
        long bytes = 0;
        int copied = 0;
        while (staged < SLICE_MESSAGES && bytes < SLICE_BYTES && moveCursor < toMove.size()) {
            PendingMessage m = pending.get(toMove.getLong(moveCursor++));
            if (m == null || !passCycles.contains(cycles.cycleOf(m.bodiesIndex()))) {
                continue; // completed meanwhile, or already moved
            }
            long n = relocate(m, bodiesAppender, stateAppender);
            if (n > 0) {
                bytes += n;
                copied++;
            }
        }
        if (staged == 0 && moveCursor >= toMove.size()) {
            finishPass();
        }
        return copied + 1;
    }

    /** Copies one message and appends its RELOCATED; returns the bytes copied, 0 if it could not be moved. */
    private long relocate(PendingMessage m, ExcerptAppender bodiesAppender, ExcerptAppender stateAppender) {
        long id = m.id();
        long oldIndex = m.bodiesIndex();
        long length;
        long newIndex;
        try {
            if (!tailer.moveToIndex(oldIndex)) {
                return failed(id, oldIndex, "no record at its index");
            }
            try (DocumentContext in = tailer.readingDocument()) {
                if (!in.isPresent()) {
                    return failed(id, oldIndex, "no record at its index");
                }
                Bytes<?> src = in.wire().bytes();
                long start = src.readPosition();
                length = src.readRemaining();
                if (length < AcceptedDescriptor.HEADER_LENGTH
                    || src.readUnsignedByte(start + RecordHeader.TYPE_OFFSET) != RecordHeader.TYPE_ACCEPTED
                    || src.readLong(start + AcceptedDescriptor.MESSAGE_ID_OFFSET) != id) {
                    return failed(id, oldIndex, "the record there is not its ACCEPTED");
                }
                try (DocumentContext out = bodiesAppender.writingDocument()) {
                    try {
                        out.wire().bytes().write(src, start, length);
                    } catch (RuntimeException e) {
                        out.rollbackOnClose();
                        throw e;
                    }
                }
                newIndex = bodiesAppender.lastIndexAppended();
            }
            try (DocumentContext out = stateAppender.writingDocument()) {
                try {
                    StateEncoder.writeRelocated(out.wire().bytes(), id, newIndex, oldIndex);
                } catch (RuntimeException e) {
                    out.rollbackOnClose();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("relocating message {} failed", MessageIds.format(id), e);
            stats.relocationFailed();
            return 0;
        }
        pending.relocate(id, newIndex);
        occupancy.decrementAndGet(cycles.cycleOf(oldIndex));
        headCycle = cycles.cycleOf(newIndex);
        headRoll.recordWritten();
        occupancy.incrementAndGet(headCycle);
        records.incrementAndGet(headCycle);
        stagedIds[staged] = id;
        stagedIndexes[staged] = newIndex;
        stagedBytes[staged] = length;
        staged++;
        return Math.max(1, length);
    }

    private long failed(long id, long index, String why) {
        LOG.warn("cannot relocate message {} from bodies index 0x{}: {}; its cycle stays", MessageIds.format(id),
            Long.toHexString(index), why);
        stats.relocationFailed();
        return 0;
    }

    private void finishPass() {
        moving = false;
        toMove.clear();
        moveCursor = 0;
        closeTailer(); // drop its hold on the old cycles' mappings before deleting them
        deleteEmpty(passSet);
        for (long c : passSet) {
            int left = occupancy.get((int) c);
            if (left > 0) {
                LOG.warn("bodies/ cycle {} keeps {} pending messages that could not be relocated", c, left);
                nextCheckMs = lastNowMs + RETRY_AFTER_FAILURE_MS;
            }
        }
    }

    private int deleteEmpty(NavigableSet<Long> old) {
        int deleted = 0;
        for (long c : old) {
            if (occupancy.get((int) c) == 0 && c != headCycle && cycles.delete((int) c)) {
                records.remove((int) c);
                deleted++;
                stats.bodiesCycleDeleted();
            }
        }
        if (deleted > 0) {
            cycles.refresh();
        }
        return deleted;
    }

    private void closeTailer() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
    }
}
