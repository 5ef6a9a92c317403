package io.sluice.journal;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log warning about the journal's disk running short, in place of Chronicle's own disk-space monitor
 * (switched off by {@code chronicle.disk.monitor.disable}, see {@link JournalQueues}), which logged an ERROR
 * ("your disk ... is almost full") every 10 s on any disk under 5 % free, whatever {@code journal.min_free} said.
 *
 * <p>Input: each free-space reading of {@link FreeSpace} (its own thread, every 100 ms) and {@code journal.min_free}
 * as in force now (reloadable). Output: a WARN when free space is below {@code min_free} (ingress answers
 * {@code 452 4.3.1} and {@code /readyz} is not ready), at most once per {@link #INTERVAL_MS} while it stays short,
 * and one INFO when it is back above. Threading: called from one thread only.
 */
final class DiskSpaceWarning {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceWarning.class);
    /** At most one warning a minute: a short disk is a state to report, not an event per reading. */
    static final long INTERVAL_MS = 60_000;

    private final Path dir;
    private volatile LongSupplier minFreeBytes;
    private boolean diskShort;
    private long lastWarnedMs;

    DiskSpaceWarning(Path dir, LongSupplier minFreeBytes) {
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Replaces the {@code min_free} source (the daemon passes the reloadable setting). */
    void minFreeBytes(LongSupplier minFree) {
        this.minFreeBytes = minFree;
    }

    void reading(long freeBytes, long nowMs) {
        long minFree = minFreeBytes.getAsLong();
        if (freeBytes < minFree) {
            if (!diskShort || nowMs - lastWarnedMs >= INTERVAL_MS) {
                LOG.warn("journal disk {}: {} MiB free, below journal.min_free ({} MiB): MAIL/RCPT get 452 4.3.1 and "
                        + "/readyz is not ready until space is freed (at most one such warning a minute)",
                        dir, freeBytes >> 20, minFree >> 20);
                lastWarnedMs = nowMs;
            }
            diskShort = true;
        } else if (diskShort) {
            diskShort = false;
            LOG.info("journal disk {}: {} MiB free again, at or above journal.min_free ({} MiB)", dir,
                    freeBytes >> 20, minFree >> 20);
        }
    }
}
