package io.sluice.journal;

import static io.sluice.journal.CheckpointDescriptor.SEQUENCE_OFFSET;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link PendingSet} at startup from {@code state/} alone, never reading {@code bodies/}: start time
 * grows with pending mail, not with bytes on disk.
 *
 * <p>Steps: scan backward from the end of {@code state/} to the last CHECKPOINT_END; load that snapshot
 * (BEGIN, PARTs, END, cross-checked); apply the QUEUED, DEFERRED, OUTCOME and RELOCATED records after it. A
 * checkpoint that fails its cross-checks is logged and the one before it is tried (state retention keeps the cycles
 * back to the previous durable checkpoint, see {@link StateRetention}); with none left, replay from the first
 * record. Finally advance the
 * journal's message ids past every id seen. Call it once, after {@link Journal#open} and before serving or
 * starting the writer, on one thread.
 *
 * <p>Failure: {@link JournalFormatException} for a record this build cannot read (unknown type, newer version).
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** Checkpoints tried, newest first, before falling back to a full replay. */
    static final int MAX_CHECKPOINTS_TRIED = 3;

    private Recovery() {
    }

    /** Rebuilds the pending set from the last checkpoint plus the records after it. */
    public static RecoveryResult recover(Journal journal) {
        long start = System.nanoTime();
        long endIndex = findCheckpointEndBefore(journal, Long.MAX_VALUE);
        RecoveryResult result = null;
        int tries = 0;
        for (; result == null && endIndex >= 0 && tries < MAX_CHECKPOINTS_TRIED; tries++) {
            try {
                result = fromCheckpoint(journal, endIndex, start);
            } catch (CheckpointMismatch e) {
                LOG.warn("ignoring checkpoint at state index 0x{} in {}: {}; trying the one before",
                    Long.toHexString(endIndex), journal.dir(), e.getMessage());
                endIndex = findCheckpointEndBefore(journal, endIndex);
            }
        }
        if (result == null && tries > 0) {
            LOG.warn("no usable checkpoint in {}; replaying state from the start", journal.dir());
        }
        if (result == null) {
            result = replayAll(journal, start);
        }
        journal.messageIds().advancePast(result.highestMessageId());
        return result;
    }

    /** Replays every QUEUED, DEFERRED and OUTCOME record from the first, ignoring checkpoints (also the test oracle). */
    static RecoveryResult replayAll(Journal journal) {
        RecoveryResult r = replayAll(journal, System.nanoTime());
        journal.messageIds().advancePast(r.highestMessageId());
        return r;
    }

    private static RecoveryResult replayAll(Journal journal, long startNanos) {
        StateReplay replay = new StateReplay(new PendingSet());
        try (ExcerptTailer tailer = journal.state().createTailer()) {
            tailer.toStart();
            replay.applyRemaining(tailer);
        }
        return new RecoveryResult(replay.pending, replay.highestMessageId, 0, -1, replay.records,
            replay.ignoredOutcomes, elapsedMillis(startNanos));
    }

    /**
     * State index of the last CHECKPOINT_END before {@code beforeIndex}, or -1. Reads only the type byte of each
     * record it passes.
     */
    private static long findCheckpointEndBefore(Journal journal, long beforeIndex) {
        try (ExcerptTailer tailer = journal.state().createTailer()) {
            tailer.direction(TailerDirection.BACKWARD);
            if (beforeIndex == Long.MAX_VALUE) {
                tailer.toEnd();
            } else if (!tailer.moveToIndex(beforeIndex)) {
                return -1;
            } else {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return -1; // steps back over the END itself
                    }
                }
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return -1;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    if (b.readRemaining() > 0
                        && b.readUnsignedByte(b.readPosition()) == RecordHeader.TYPE_CHECKPOINT_END) {
                        return dc.index();
                    }
                }
            }
        }
    }

    private static RecoveryResult fromCheckpoint(Journal journal, long endIndex, long startNanos) {
        PendingSet pending = new PendingSet();
        try (ExcerptTailer tailer = journal.state().createTailer()) {
            if (!tailer.moveToIndex(endIndex)) {
                throw new CheckpointMismatch("cannot move to its END record");
            }
            long sequence;
            long beginIndex;
            try (DocumentContext dc = tailer.readingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                long s = b.readPosition();
                sequence = b.readLong(s + SEQUENCE_OFFSET);
                beginIndex = b.readLong(s + CheckpointDescriptor.END_BEGIN_INDEX_OFFSET);
            }
            if (!tailer.moveToIndex(beginIndex)) {
                throw new CheckpointMismatch("cannot move to its BEGIN record 0x" + Long.toHexString(beginIndex));
            }
            CheckpointReader reader = new CheckpointReader(pending, sequence);
            while (!reader.complete()) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new CheckpointMismatch("ends before its END record");
                    }
                    reader.read(dc.wire().bytes(), dc.index());
                }
            }
            StateReplay replay = new StateReplay(pending);
            replay.highestMessageId = reader.highestIdIssued();
            replay.applyRemaining(tailer);
            return new RecoveryResult(pending, replay.highestMessageId, sequence, beginIndex, replay.records,
                replay.ignoredOutcomes, elapsedMillis(startNanos));
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A checkpoint that does not hold together; recovery falls back to a full replay. */
    static final class CheckpointMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckpointMismatch(String message) {
            super(message, null, false, false);
        }
    }
}
