package io.sluice.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Builds the Chronicle queues of a journal with the settings the durability contract depends on, in one place.
 *
 * <ul>
 *   <li>{@link SyncMode#SYNC}: Chronicle's default makes {@code appender.sync()} an {@code msync(MS_ASYNC)}, which
 *       makes nothing durable on Linux; SYNC makes it {@code MS_SYNC}.</li>
 *   <li>Block size: Chronicle limits one excerpt to a quarter of it (16 MiB with the default 64 MiB), so
 *       {@code bodies/} gets one sized from {@code smtp.max_message_size} ({@link Journal#bodiesBlockSize}).</li>
 *   <li>Analytics off: Chronicle phones home unless {@code chronicle.analytics.disable} is set.</li>
 *   <li>Chronicle's disk-space monitor off ({@code chronicle.disk.monitor.disable}): {@link DiskSpaceWarning}
 *       reports a short disk instead, against {@code journal.min_free}, once a minute.</li>
 *   <li>Read-only mode for {@link JournalDump}: creates no files and takes no write lock.</li>
 * </ul>
 */
final class JournalQueues {
    /** Default Chronicle block size; records up to 16 MiB. */
    static final long DEFAULT_BLOCK_SIZE = 64L << 20;

    static {
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        // Chronicle's disk monitor logs an ERROR every 10 s below 5 % free, blind to journal.min_free; our own
        // rate-limited warning replaces it (DiskSpaceWarning). Set here too, for a JVM started without our flags.
        if (System.getProperty("chronicle.disk.monitor.disable") == null) {
            System.setProperty("chronicle.disk.monitor.disable", "true");
        }
    }

    private JournalQueues() {
    }

    static SingleChronicleQueue open(Path dir, long blockSize, RollCycle rollCycle, TimeProvider time) {
        return SingleChronicleQueueBuilder.binary(dir)
            .syncMode(SyncMode.SYNC)
            .rollCycle(rollCycle)
            .blockSize(blockSize)
            .timeProvider(time)
            .build();
    }

    /**
     * The sync mode of the memory-mapped store the appender last wrote to, i.e. what {@code appender.sync()} will
     * really do; null before its first write.
     */
    static SyncMode mappedSyncMode(ExcerptAppender appender) {
        Object store = appender.wire() == null ? null : appender.wire().bytes().bytesStore();
        return store instanceof MappedBytesStore mapped ? mapped.syncMode() : null;
    }

    static SingleChronicleQueue openReadOnly(Path dir) {
        return SingleChronicleQueueBuilder.binary(dir)
            .readOnly(true)
            .build();
    }
}
