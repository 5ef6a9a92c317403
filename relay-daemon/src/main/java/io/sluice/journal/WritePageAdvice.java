package io.sluice.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an appender's memory-mapped pages small, so that a group-commit {@code msync} writes what was appended and
 * not whole large folios. For one appender; writer thread only; allocates nothing after the first call.
 *
 * <p>Why: on Linux 6.x the page cache fills a page fault in a file mapping by reading around it, with folios up to
 * the device's {@code read_ahead_kb} (2 MiB with 8 MiB read-ahead). A 5 KB append then dirties a 2 MiB folio, and
 * {@code msync(MS_SYNC)} writes all of it: measured here, 30 MB/s appended became 900 MB/s written to disk, and
 * the disk's queue set the 250's tail latency (docs/BENCHMARKS.md, section 2). So:
 * <ul>
 *   <li>each mapped chunk the appender writes to gets {@code madvise(MADV_RANDOM)} (no read-around, so a fault
 *       allocates one page), checked after every group commit once its 250s are out
 *       ({@link ChronicleSyncer#afterCommit}): one reference comparison when nothing changed;</li>
 *   <li>a fault in a chunk mapped since that check would still read around, so the pages just past the current
 *       chunk's write limit (where the next chunk's first records go) are read in advance, through the current
 *       chunk's advised mapping (which extends past that limit): they are then already cached as single pages.
 *       Reading a page the appender has not written maps zeros and dirties nothing.</li>
 * </ul>
 * Left out: the first pages of a new cycle file (a roll, every minute for bodies/) are faulted before the first check, so
 * their first few MiB can still sit in large folios; a short burst of larger msyncs once per roll. Where
 * {@code madvise} is unavailable (no native POSIX access) or fails, this turns itself off for the queue and says so
 * once in the log.
 */
final class WritePageAdvice {
    private static final Logger LOG = LoggerFactory.getLogger(WritePageAdvice.class);
    private static final long PAGE = 4096;
    /** How far past the chunk's write limit pages are read in advance. */
    static final long LOOKAHEAD_BYTES = 8L << 20;
    /** Start reading ahead once the write position is this close to the chunk's write limit. */
    static final long NEAR_LIMIT_BYTES = 4L << 20;
    /** At most this much is read ahead per call (a page fault costs about a microsecond: no long stall). */
    static final long READ_AHEAD_PER_CALL_BYTES = 1L << 20;
    private static volatile boolean unavailableLogged;

    private final String queueName;
    private BytesStore<?, ?> advisedStore;
    private long touchedUpTo;
    private boolean disabled;
    private long advisedChunks;
    private long pagesReadAhead;
    private long readAheadSum;

    WritePageAdvice(String queueName) {
        this.queueName = queueName;
    }

    /**
     * Call after a commit with the appender just synced (or any time after its writes). Never throws: a failure
     * turns the advice off for this queue and is logged once.
     */
    void afterWrite(ExcerptAppender appender) {
        if (disabled || appender.wire() == null) {
            return;
        }
        try {
            BytesStore<?, ?> store = appender.wire().bytes().bytesStore();
            if (!(store instanceof MappedBytesStore mapped)) {
                return;
            }
            if (store != advisedStore) {
                advise(mapped);
            }
            if (!disabled) {
                readAhead(mapped, appender.wire().bytes().writePosition());
            }
        } catch (RuntimeException | LinkageError e) {
            unavailable(e.toString());
        }
    }

    private void advise(MappedBytesStore store) {
        long address = store.addressForRead(store.start());
        long length = store.capacity() - store.start();
        PosixAPI posix = PosixAPI.posix();
        if (posix.getClass().getSimpleName().startsWith("NoOp")) {
            unavailable("no native POSIX access: " + posix);
            return;
        }
        int rc = posix.madvise(address, length, MAdviseFlag.MADV_RANDOM);
        if (rc != 0) {
            unavailable("madvise returned " + rc);
            return;
        }
        advisedStore = store;
        touchedUpTo = 0;
        advisedChunks++;
    }

    /**
     * Reads (faults in) the pages just past the chunk's write limit once the write position nears it, a slice per
     * call: the writer syncs many times while it covers {@link #NEAR_LIMIT_BYTES}.
     */
    private void readAhead(MappedBytesStore store, long writePosition) {
        long limit = store.safeLimit();
        if (writePosition < limit - NEAR_LIMIT_BYTES) {
            return;
        }
        long from = Math.max(touchedUpTo, limit - limit % PAGE);
        long end = Math.min(Math.min(store.capacity(), limit + LOOKAHEAD_BYTES), from + READ_AHEAD_PER_CALL_BYTES);
        int sum = 0;
        for (long offset = from; offset < end; offset += PAGE) {
            sum += UnsafeMemory.MEMORY.readByte(store.addressForRead(offset));
            pagesReadAhead++;
        }
        readAheadSum += sum; // kept, so that the compiler cannot drop the reads as unused
        touchedUpTo = Math.max(touchedUpTo, end);
    }

    private void unavailable(String why) {
        disabled = true;
        if (!unavailableLogged) {
            unavailableLogged = true;
            LOG.warn("journal {}: cannot madvise the mapped journal pages ({}); msync may write whole large folios "
                + "(lower the journal device's read_ahead_kb to 128 if sync latency is high)", queueName, why);
        }
    }

    /** Mapped chunks advised so far (for tests). */
    long advisedChunks() {
        return advisedChunks;
    }

    /** Pages read ahead past chunk limits so far (for tests). */
    long pagesReadAhead() {
        return pagesReadAhead;
    }

    /** The mapping address of the chunk advised last, or 0 (for tests). */
    long advisedAddress() {
        return advisedStore instanceof MappedBytesStore m ? m.addressForRead(m.start()) : 0;
    }
}
