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
 * @param compactAfter       a {@code bodies/} cycle older than this has its still-pending messages copied to the
 *                           head and is deleted; {@code state/} cycles older than this and before the last
 *                           checkpoint are deleted ({@code compact_after}, default 1h, 10m to 7d)
 */
public record JournalSettings(Path dir, SyncPolicy sync, long minFreeBytes, Duration checkpointInterval,
                              Duration compactAfter) {

    public static final String DEFAULT_DIR = "data/journal";
    public static final long DEFAULT_MIN_FREE_BYTES = 1024L * 1024 * 1024;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_COMPACT_AFTER = Duration.ofHours(1);
    /** Shortest {@code compact_after} the config accepts: about one roll cycle (ten minutes). */
    public static final Duration MIN_COMPACT_AFTER = Duration.ofMinutes(10);
    /** Longest {@code compact_after}: beyond a week old cycles pin too much disk. */
    public static final Duration MAX_COMPACT_AFTER = Duration.ofDays(7);

    public JournalSettings {
        if (compactAfter == null || compactAfter.isNegative() || compactAfter.isZero()) {
            throw new IllegalArgumentException("compactAfter must be positive: " + compactAfter);
        }
    }

    /** As the canonical constructor with {@link #DEFAULT_COMPACT_AFTER}. */
    public JournalSettings(Path dir, SyncPolicy sync, long minFreeBytes, Duration checkpointInterval) {
        this(dir, sync, minFreeBytes, checkpointInterval, DEFAULT_COMPACT_AFTER);
    }

    /** When an appended record counts as durable. */
    public enum SyncPolicy {
        /** Group-commit msync(MS_SYNC) before acknowledging. */
        BATCH,
        /** Acknowledge after the append; the OS writes back later. */
        NONE
    }
}
