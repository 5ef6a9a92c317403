package io.sluice.journal;

import io.sluice.config.JournalSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

/**
 * The journal: three Chronicle queues under {@code journal.dir}.
 * <ul>
 *   <li>{@code bodies/}: ACCEPTED records, envelope plus message bytes ({@link AcceptedDescriptor});</li>
 *   <li>{@code state/}: QUEUED, DEFERRED, OUTCOME, RELOCATED and CHECKPOINT records ({@link QueuedDescriptor},
 *       {@link DeferredDescriptor}, {@link OutcomeDescriptor}, {@link RelocatedDescriptor},
 *       {@link CheckpointDescriptor});</li>
 *   <li>{@code events/}: the lifecycle event stream (written by the events stage, later).</li>
 * </ul>
 * All are built with {@code SyncMode.SYNC} and analytics disabled ({@link JournalQueues}); {@code bodies/} rolls
 * every minute, the others every ten minutes.
 *
 * <p>Lifecycle: {@link #open}, then {@link Recovery#recover}, then {@link JournalWriter#start} (the only appender of
 * {@code bodies/} and {@code state/}), then serve; at shutdown close the writer, then this. Reopening after an
 * unclean stop needs nothing special: an excerpt a crash left half-written stays invisible.
 *
 * <p>Threading: {@link #nextMessageId()}, {@link #freeBytes()}, {@link #relocations()} and
 * {@link #compactionStats()} are safe from any thread. Retention: Chronicle 2026.4 has none; the writer's
 * {@link BodiesCompactor} and {@link StateRetention} delete cycle files older than {@code journal.compact_after}
 * once nothing needs them.
 */
public final class Journal implements AutoCloseable {
    /** Smallest {@code bodies/} block size (Chronicle's default). */
    public static final long MIN_BODIES_BLOCK_SIZE = JournalQueues.DEFAULT_BLOCK_SIZE;
    /** Room reserved per ACCEPTED record for the envelope when sizing the block (recipients, strings, header). */
    public static final long ENVELOPE_ALLOWANCE_BYTES = RecipientBlock.MAX_LENGTH + (1 << 20);
    /** Largest {@code smtp.max_message_size} the journal accepts. */
    public static final long MAX_MESSAGE_BYTES_LIMIT = 512L << 20;

    /**
     * Roll cycle of a new {@code bodies/}: one minute, so that a delivered burst of mail can give its disk space
     * back within about a minute ({@link HeadCycleRoll}, {@link BodiesCompactor}). Chronicle keeps the roll cycle
     * a queue was created with (logging a warning when told another), so a journal created before this keeps ten
     * minutes. Files are sparse and a cycle file is created only when something is appended.
     */
    static final RollCycle BODIES_ROLL_CYCLE = LegacyRollCycles.MINUTELY;

    private final JournalSettings settings;
    private final Path dir;
    private final long bodiesBlockSize;
    private final SingleChronicleQueue bodies;
    private final SingleChronicleQueue state;
    private final SingleChronicleQueue events;
    private final MessageIdSequence messageIds;
    private final FreeSpace freeSpace;
    private final TimeProvider time;
    private final Relocations relocations = new Relocations();
    private final CompactionStats compactionStats = new CompactionStats();
    private boolean closed;

    private Journal(JournalSettings settings, long maxMessageBytes, RollCycle bodiesRollCycle, RollCycle rollCycle,
                    TimeProvider time) throws IOException {
        this.settings = settings;
        this.dir = settings.dir().toAbsolutePath();
        this.bodiesBlockSize = bodiesBlockSize(maxMessageBytes);
        Files.createDirectories(dir);
        this.freeSpace = new FreeSpace(dir, settings::minFreeBytes);
        this.time = time;
        this.messageIds = new MessageIdSequence(System.currentTimeMillis());
        SingleChronicleQueue b = null;
        SingleChronicleQueue s = null;
        try {
            b = JournalQueues.open(dir.resolve("bodies"), bodiesBlockSize, bodiesRollCycle, time);
            s = JournalQueues.open(dir.resolve("state"), JournalQueues.DEFAULT_BLOCK_SIZE, rollCycle, time);
            this.events = JournalQueues.open(dir.resolve("events"), JournalQueues.DEFAULT_BLOCK_SIZE, rollCycle, time);
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            }
            if (s != null) {
                s.close();
            }
            throw e;
        }
        this.bodies = b;
        this.state = s;
        freeSpace.start(); // last: nothing above may fail and leave the thread running
    }

    /**
     * Opens (creating if needed) the journal at {@code settings.dir()}: {@code bodies/} with one-minute roll
     * cycles ({@link #BODIES_ROLL_CYCLE}), {@code state/} and {@code events/} with ten-minute ones.
     *
     * @param maxMessageBytes {@code smtp.max_message_size}; sizes the {@code bodies/} block so such a message fits
     */
    public static Journal open(JournalSettings settings, long maxMessageBytes) throws IOException {
        return new Journal(settings, maxMessageBytes, BODIES_ROLL_CYCLE, RollCycles.TEN_MINUTELY,
            SystemTimeProvider.INSTANCE);
    }

    /**
     * As {@link #open(JournalSettings, long)} with one roll cycle for all three queues and another clock (tests
     * roll every second).
     */
    static Journal open(JournalSettings settings, long maxMessageBytes, RollCycle rollCycle, TimeProvider time)
        throws IOException {
        return new Journal(settings, maxMessageBytes, rollCycle, rollCycle, time);
    }

    /**
     * Block size of {@code bodies/}: four times (largest message + envelope allowance), rounded up to a power of
     * two, at least 64 MiB. Chronicle caps one excerpt at a quarter of the block.
     */
    public static long bodiesBlockSize(long maxMessageBytes) {
        if (maxMessageBytes <= 0 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("max message size must be 1.." + MAX_MESSAGE_BYTES_LIMIT
                + " bytes, got " + maxMessageBytes);
        }
        long needed = 4 * (maxMessageBytes + ENVELOPE_ALLOWANCE_BYTES);
        long size = Long.highestOneBit(needed);
        if (size < needed) {
            size <<= 1;
        }
        return Math.max(MIN_BODIES_BLOCK_SIZE, size);
    }

    /** A new message id, unique across restarts of this journal; thread-safe and lock-free. */
    public long nextMessageId() {
        return messageIds.next();
    }

    /** Usable bytes on the journal's file system, refreshed by its own thread every 100 ms ({@link FreeSpace}). */
    public long freeBytes() {
        return freeSpace.bytes();
    }

    public JournalSettings settings() {
        return settings;
    }

    /** The journal directory (absolute). */
    public Path dir() {
        return dir;
    }

    public long bodiesBlockSize() {
        return bodiesBlockSize;
    }

    /** Largest ACCEPTED record (envelope + body) {@code bodies/} can hold: a quarter of its block size. */
    public long maxAcceptedRecordBytes() {
        return bodiesBlockSize / 4;
    }

    /** Where messages relocated by compaction since open live now; readers use it through {@link BodiesReader}. */
    public Relocations relocations() {
        return relocations;
    }

    /** Running totals of compaction and retention since open. */
    public CompactionStats compactionStats() {
        return compactionStats;
    }

    /**
     * Bytes the cycle files of one queue ({@code "bodies"}, {@code "state"} or {@code "events"}) use on disk: their
     * data extents ({@link AllocatedSize}), not the sparse files' apparent length, which counts each file at its
     * full block size; the length where the file system cannot tell. Lists the directory and makes a few system
     * calls per file: for metrics scrapes and tools, not hot paths.
     */
    public long diskBytes(String queue) {
        if (!queue.equals("bodies") && !queue.equals("state") && !queue.equals("events")) {
            throw new IllegalArgumentException("no journal queue " + queue);
        }
        java.io.File[] files = dir.resolve(queue).toFile().listFiles((d, name) -> name.endsWith(".cq4"));
        long total = 0;
        for (java.io.File f : files == null ? new java.io.File[0] : files) {
            total += AllocatedSize.of(f);
        }
        return total;
    }

    /** The clock the queues roll by (and compaction ages cycles by). */
    TimeProvider time() {
        return time;
    }

    SingleChronicleQueue bodies() {
        return bodies;
    }

    SingleChronicleQueue state() {
        return state;
    }

    SingleChronicleQueue events() {
        return events;
    }

    MessageIdSequence messageIds() {
        return messageIds;
    }

    FreeSpace freeSpace() {
        return freeSpace;
    }

    /** Closes the queues. Close the {@link JournalWriter} first. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeSpace.close();
        events.close();
        state.close();
        bodies.close();
    }
}
