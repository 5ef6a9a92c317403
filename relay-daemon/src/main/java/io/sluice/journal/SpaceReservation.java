package io.sluice.journal;

import java.io.File;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the disk blocks of a journal queue's next writes exist before Chronicle touches their mapped pages.
 * Chronicle writes through a shared mapping of a sparse file: when the disk is full, the first store to a page
 * without a block raises SIGBUS, which the JVM turns into an {@link InternalError} some instructions later, and the
 * record is half written (the writer thread died of it). So, before each record, the writer asks for
 * room: if the blocks from the appender's write position through the record (plus {@link #SLACK_BYTES} for
 * Chronicle's headers and index arrays) are not yet reserved, this reserves them and {@link #STEP_BYTES} more
 * with {@code fallocate(FALLOC_FL_KEEP_SIZE)}, which fails cleanly with {@code ENOSPC} instead.
 *
 * <p>A write that will open a new cycle file (the appender's cycle is not the queue's current one, or it has not
 * written yet) has no file to reserve in: it goes by the free-space figure ({@link FreeSpace}) with
 * {@link #NEW_FILE_BYTES} of margin for the file's header and first index arrays.
 *
 * <p>Cost: one comparison per record; per {@link #STEP_BYTES} written an {@code open}, {@code fallocate} and
 * {@code close} (no descriptor is kept: an open descriptor of a cycle file the compactor deletes would keep its
 * space allocated). Where native POSIX
 * access or {@code fallocate} is missing (another OS, a file system without it), this turns itself off for the
 * queue and says so once; writes are then unguarded as before. Failure: {@link JournalFullException}, nothing
 * written. Threading: the journal writer thread (the appender's).
 */
final class SpaceReservation implements AutoCloseable {
    /** Reserved beyond what a record needs, so that most records need no system call. */
    static final long STEP_BYTES = 4L << 20;
    /** Room for what Chronicle adds around records (headers, index arrays). */
    static final long SLACK_BYTES = 256L << 10;
    /** Free space a new cycle file needs besides its first record (header, index arrays). */
    static final long NEW_FILE_BYTES = 1L << 20;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int ENOSPC = 28;
    private static final Logger LOG = LoggerFactory.getLogger(SpaceReservation.class);

    private final String queueName;
    private final SingleChronicleQueue queue;
    private final FreeSpace freeSpace;
    private File file;
    private long reservedTo;
    private boolean disabled;

    SpaceReservation(String queueName, SingleChronicleQueue queue, FreeSpace freeSpace) {
        this.queueName = queueName;
        this.queue = queue;
        this.freeSpace = freeSpace;
    }

    /**
     * Makes room for a record of about {@code bytes} at the appender's next write.
     *
     * @throws JournalFullException when the disk has no room for it
     */
    void ensure(ExcerptAppender appender, long bytes) {
        if (appender.wire() == null || appender.cycle() != queue.cycle()) {
            long free = freeSpace.bytes();
            if (free < bytes + NEW_FILE_BYTES) {
                throw new JournalFullException("journal " + queueName + "/: " + free + " bytes free, a new cycle file"
                    + " and a record of " + bytes + " bytes need more");
            }
            return;
        }
        if (disabled) {
            return;
        }
        long position = appender.wire().bytes().writePosition();
        File current = appender.currentFile();
        if (!current.equals(file)) {
            file = current;
            reservedTo = 0;
        }
        long needed = position + bytes + SLACK_BYTES;
        if (needed <= reservedTo) {
            return;
        }
        long from = Math.max(position, reservedTo);
        long to = needed + STEP_BYTES;
        try {
            reserve(from, to - from, bytes);
            reservedTo = to;
        } catch (RuntimeException | LinkageError e) {
            if (e instanceof JournalFullException full) {
                throw full;
            }
            unavailable(e.toString());
        }
    }

    private void reserve(long offset, long length, long recordBytes) {
        PosixAPI posix = PosixAPI.posix();
        if (posix.getClass().getSimpleName().startsWith("NoOp")) {
            unavailable("no native POSIX access");
            return;
        }
        int fd = posix.open(file.getPath(), OpenFlag.O_RDWR, 0);
        if (fd < 0) {
            unavailable("open " + file + ": " + posix.lastErrorStr());
            return;
        }
        try {
            if (posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) != 0) {
                int errno = posix.lastError();
                if (errno == ENOSPC) {
                    // part of the range may be allocated now; it is simply asked for again next time
                    throw new JournalFullException("journal " + queueName + "/ disk full: no room for a record of "
                        + recordBytes + " bytes (fallocate: " + posix.strerror(errno) + ")");
                }
                unavailable("fallocate failed: " + posix.strerror(errno));
            }
        } finally {
            posix.close(fd);
        }
    }

    private void unavailable(String why) {
        if (disabled) {
            return;
        }
        disabled = true;
        LOG.warn("journal {}/: cannot reserve disk space ahead of writes ({}); a disk that fills up completely may "
            + "then stop the journal writer (the daemon exits for a restart) instead of refusing mail", queueName, why);
    }

    @Override
    public void close() {
        file = null; // holds no descriptor; nothing to release
    }
}
