package io.sluice.config;

import io.sluice.config.JournalSettings.SyncPolicy;
import io.sluice.util.DataSizes;
import io.sluice.util.Durations;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the {@code journal} section into {@link JournalSettings}. The directory is not checked here: the journal
 * creates it at start and reports its own I/O errors there.
 */
final class JournalSection {

    private JournalSection() {
    }

    static JournalSettings read(YamlMapping m) {
        Path dir = m.path("dir", Path.of(JournalSettings.DEFAULT_DIR));
        SyncPolicy sync = m.choice("sync", SyncPolicy.class, SyncPolicy.BATCH);
        long minFree = m.size("min_free", JournalSettings.DEFAULT_MIN_FREE_BYTES,
                Limits.range(0, Long.MAX_VALUE, DataSizes::format));
        Duration checkpointInterval = m.duration("checkpoint_interval",
                JournalSettings.DEFAULT_CHECKPOINT_INTERVAL,
                Limits.range(1, Duration.ofDays(1).toMillis(), ms -> Durations.format(Duration.ofMillis(ms))));
        Duration compactAfter = m.duration("compact_after", JournalSettings.DEFAULT_COMPACT_AFTER,
                Limits.range(JournalSettings.MIN_COMPACT_AFTER.toMillis(), JournalSettings.MAX_COMPACT_AFTER.toMillis(),
                        ms -> Durations.format(Duration.ofMillis(ms))));
        m.finish();
        return new JournalSettings(dir, sync, minFree, checkpointInterval, compactAfter);
    }
}
