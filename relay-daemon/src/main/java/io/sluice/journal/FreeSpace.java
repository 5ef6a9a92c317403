package io.sluice.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Usable bytes on the journal's file system, cached for back-pressure checks on event loops ({@link #bytes()} is
 * a volatile read) and kept fresh by its own thread ({@code sluice-journal-free-space}, a statvfs every
 * {@link #REFRESH_INTERVAL_MS}), never by the journal writer: the figure behind the {@code 452 4.3.1} gate and
 * {@code /readyz} must stay true while the writer is busy, blocked in a sync or failed (a writer killed
 * by a full disk had left it stuck at 104 MB while the disk was at 0). A failed read keeps the previous value. The
 * same thread reports a disk below {@code journal.min_free} in the log ({@link DiskSpaceWarning}, once a minute).
 *
 * <p>Lifecycle: {@link #start()} once (the journal does, at open), {@link #close()} at journal close.
 */
final class FreeSpace implements AutoCloseable {
    static final long REFRESH_INTERVAL_MS = 100;

    private final FileStore store;
    private final DiskSpaceWarning warning;
    private volatile long bytes;
    private volatile boolean closed;
    private Thread thread;

    FreeSpace(Path dir, LongSupplier minFreeBytes) throws IOException {
        this.store = Files.getFileStore(dir);
        this.warning = new DiskSpaceWarning(dir, minFreeBytes);
        this.bytes = store.getUsableSpace();
    }

    long bytes() {
        return bytes;
    }

    /** Starts the refreshing thread (a daemon thread). */
    void start() {
        thread = new Thread(this::run, "sluice-journal-free-space");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code journal.min_free} as in force now, for the short-disk warning ({@link DiskSpaceWarning}). */
    void minFreeBytes(LongSupplier minFree) {
        warning.minFreeBytes(minFree);
    }

    private void run() {
        while (!closed) {
            refresh();
            warning.reading(bytes, System.currentTimeMillis());
            LockSupport.parkNanos(REFRESH_INTERVAL_MS * 1_000_000L);
        }
    }

    /** Re-reads the free space now. */
    void refresh() {
        try {
            bytes = store.getUsableSpace();
        } catch (IOException e) {
            // Keep the last value: a transient statvfs failure must not open or close the gate on its own.
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
