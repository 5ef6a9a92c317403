package io.sluice.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Usable bytes on the journal's file system, cached: {@link #refresh} re-reads it at most every
 * {@link #REFRESH_INTERVAL_MS} (a statvfs each time), {@link #bytes()} is a volatile read for back-pressure checks
 * on event loops. Refreshed by the journal writer; a failed read keeps the previous value.
 */
final class FreeSpace {
    static final long REFRESH_INTERVAL_MS = 100;

    private final FileStore store;
    private volatile long bytes;
    private long lastRefreshMs = Long.MIN_VALUE / 2;

    FreeSpace(Path dir) throws IOException {
        this.store = Files.getFileStore(dir);
        this.bytes = store.getUsableSpace();
    }

    long bytes() {
        return bytes;
    }

    /** Re-reads the free space if the last read is older than the interval; writer thread only. */
    void refresh(long nowMs) {
        if (nowMs - lastRefreshMs < REFRESH_INTERVAL_MS) {
            return;
        }
        lastRefreshMs = nowMs;
        try {
            bytes = store.getUsableSpace();
        } catch (IOException e) {
            // Keep the last value: a transient statvfs failure must not open or close the gate on its own.
        }
    }
}
