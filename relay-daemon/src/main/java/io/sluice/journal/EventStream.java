package io.sluice.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The {@code events/} queue of the journal (docs/architecture.md "Journal"): the lifecycle event stream that the JSON
 * log and webhooks tail. Each record is one event, opaque bytes to this class (the events stage writes one UTF-8 JSON
 * object per record).
 *
 * <p>Unlike {@code bodies/} and {@code state/} it is never synced and never holds back mail: it is capped in size by
 * {@link #trimTo}, which deletes the oldest cycle files (never the one being written); a named reader that falls
 * behind the deleted cycles continues at the oldest remaining record and is told how many it missed
 * ({@link Reader#skippedRecords()}).
 *
 * <p>Threading: {@link Writer} is owned by one thread (Chronicle allows one writer per queue); each {@link Reader}
 * by one thread; {@link #trimTo} runs on the writer's thread.
 */
public final class EventStream {
    private final SingleChronicleQueue queue;
    private final Path dir;

    /** Null: writes are not guarded by a space reservation (tests on a plain queue). */
    private final FreeSpace freeSpace;

    EventStream(SingleChronicleQueue queue) {
        this(queue, null);
    }

    private EventStream(SingleChronicleQueue queue, FreeSpace freeSpace) {
        this.queue = queue;
        this.dir = queue.file().toPath();
        this.freeSpace = freeSpace;
    }

    /** The journal's event stream. */
    public static EventStream of(Journal journal) {
        return new EventStream(journal.events(), journal.freeSpace());
    }

    /** A writer; use it from one thread only. */
    public Writer writer() {
        return new Writer(queue.createAppender(),
            freeSpace == null ? null : new SpaceReservation("events", queue, freeSpace));
    }

    /** A reader whose position survives restarts under {@code name} (e.g. {@code json-log}). */
    public Reader reader(String name) {
        return new Reader(queue.createTailer(name));
    }

    /** Bytes of the cycle files now. */
    public long sizeBytes() throws IOException {
        long total = 0;
        for (Path file : cycleFiles()) {
            total += Files.size(file);
        }
        return total;
    }

    /**
     * Deletes the oldest cycle files, never the newest, until the stream takes at most {@code maxBytes}. Returns the
     * number of files deleted.
     */
    public int trimTo(long maxBytes) throws IOException {
        List<Path> files = cycleFiles();
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        int deleted = 0;
        for (int i = 0; i < files.size() - 1 && total > maxBytes; i++) {
            long size = Files.size(files.get(i));
            Files.deleteIfExists(files.get(i));
            total -= size;
            deleted++;
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    private List<Path> cycleFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(p -> p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)).sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /**
     * Appends events. One thread. Disk blocks are reserved ahead of the writes ({@link SpaceReservation}), so a
     * full disk refuses an event with {@link JournalFullException} instead of faulting on a mapped page.
     */
    public static final class Writer implements AutoCloseable {
        private final ExcerptAppender appender;
        private final SpaceReservation room;

        Writer(ExcerptAppender appender, SpaceReservation room) {
            this.appender = appender;
            this.room = room;
        }

        /** @throws JournalFullException when the disk has no room for it (nothing written) */
        public void append(byte[] record, int offset, int length) {
            if (room != null) {
                room.ensure(appender, length);
            }
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(record, offset, length);
            }
        }

        @Override
        public void close() {
            if (room != null) {
                room.close();
            }
            appender.close();
        }
    }

    /** Reads events in order from a named, persistent position. One thread. */
    public static final class Reader implements AutoCloseable {
        private final ExcerptTailer tailer;
        private final SingleChronicleQueue queue;
        private long gaps;
        private byte[] buffer = new byte[4096];

        Reader(ExcerptTailer tailer) {
            this.tailer = tailer;
            this.queue = (SingleChronicleQueue) tailer.queue();
        }

        /** Hands the next event to {@code consumer}; false when there is none yet. */
        public boolean next(BodyConsumer consumer) {
            skipTrimmedCycles();
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                Bytes<?> bytes = dc.wire().bytes();
                int length = (int) bytes.readRemaining();
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                bytes.read(buffer, 0, length);
                consumer.accept(buffer, 0, length);
                return true;
            }
        }

        /** A reader left in a cycle that {@link #trimTo} deleted continues at the oldest record still there. */
        private void skipTrimmedCycles() {
            long index = tailer.index();
            if (index != 0 && queue.rollCycle().toCycle(index) < queue.firstCycle()) {
                tailer.toStart();
                gaps++;
            }
        }

        /** How many times this reader fell behind the size cap and lost events. */
        public long gaps() {
            return gaps;
        }

        @Override
        public void close() {
            tailer.close();
        }
    }

    /** For tests: the directory of the stream. */
    File directory() {
        return dir.toFile();
    }
}
