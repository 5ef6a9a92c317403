package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The journal ({@code journal} in sluice.yaml).
 *
 * @param dir                directory holding {@code bodies/}, {@code state/} and {@code events/}
 *                           ({@code dir}, default ./data/journal); must not change on reload
 * @param sync               batch: msync (MS_SYNC) by group commit before any 250; none: append only, survives a
 *                           process crash but not power loss ({@code sync}, default batch)
 * @param minFreeBytes       below this much free disk, MAIL/RCPT get 452 4.3.1 ({@code min_free}, default 1GiB)
 * @param checkpointInterval how often the pending set is snapshotted into {@code state/}
 *                           ({@code checkpoint_interval}, default 1m)
 */
public record JournalSettings(Path dir, SyncPolicy sync, long minFreeBytes, Duration checkpointInterval) {

    public static final String DEFAULT_DIR = "data/journal";
    public static final long DEFAULT_MIN_FREE_BYTES = 1024L * 1024 * 1024;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

    /** When an appended record counts as durable. */
    public enum SyncPolicy {
        /** Group-commit msync(MS_SYNC) before acknowledging. */
        BATCH,
        /** Acknowledge after the append; the OS writes back later. */
        NONE
    }
}
