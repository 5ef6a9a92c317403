package io.sluice.bounce.intake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.agrona.collections.Long2LongHashMap;

/**
 * What Sluice sent, kept {@code feedback.index_days} so that a bounce or complaint arriving days later can be matched
 * to its message and recipient: by VERP token ({@link #byVerp}) or by the original Message-ID ({@link #byMessageId}).
 *
 * <p>Storage: one append-only text file per UTC day in the index directory ({@code YYYY-MM-DD.idx}), a line per
 * delivery transaction: {@code <message id hex> TAB <previous record with the same Message-ID, hex, or -> TAB
 * <sender> TAB <Message-ID or -> TAB <ordinal>=<recipient> ...}. Envelope addresses hold no TAB or line break (ingress
 * refuses controls), and a Message-ID is cut at white space. Files older than the window are deleted when the day
 * turns and at start. Memory: one hash map from a 64-bit key (the message id and ordinal of each recipient, and a
 * hash of each Message-ID) to the record's position (day and offset), 25 to 50 bytes per key and two keys for a
 * one-recipient transaction: a million such a day for 30 days take 1.5 to 3 GB of heap, so large senders shorten
 * {@code index_days}.
 *
 * <p>Durability: best effort. Records are buffered and written when 64 KiB are pending, when a second has passed
 * since the first pending one, before a lookup and on {@link #close}; never fsynced. A crash can lose the last
 * second's records (those messages then match only by what the report itself names). A torn last line is cut at
 * start. Thread-safe: one writer (the delivery stage's body reader) and one reader (the feedback intake) share a lock
 * for the map and the write buffer only; a lookup reads its lines from the files outside it, so a report never holds
 * up delivery for its file reads. Once a day (the first record after midnight UTC) the writer drops the keys of the
 * day that left the window under the lock: a scan of the map, about a second for tens of millions of keys.
 */
public final class FeedbackIndex implements AutoCloseable {
    private static final long MISSING = -1;
    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final long FLUSH_AFTER_NANOS = 1_000_000_000L;
    private static final String SUFFIX = ".idx";
    /** Longest record line; a transaction whose line would be longer (a huge envelope) is not recorded. */
    private static final int MAX_LINE = 256 * 1024;

    /** One recipient of one record: who sent what to whom. */
    public record Sent(long messageId, int ordinal, String recipient, String sender, String messageIdHeader) {
        /** The sender's domain, lower case; "" for the null sender. */
        public String senderDomain() {
            int at = sender.lastIndexOf('@');
            return at < 0 ? "" : sender.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Path dir;
    private final int days;
    private final LongSupplier clock;
    private final Long2LongHashMap positions = new Long2LongHashMap(MISSING);
    private final java.util.concurrent.ConcurrentSkipListMap<Long, FileChannel> readers =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private long day = Long.MIN_VALUE;
    private OutputStream out;
    private long offset;
    private long pendingSinceNanos = -1;
    private final StringBuilder line = new StringBuilder(256);

    private FeedbackIndex(Path dir, int days, LongSupplier clock) {
        this.dir = dir;
        this.days = days;
        this.clock = clock;
    }

    /**
     * Opens the index in {@code dir} (made if missing), reading the files of the last {@code days} days and
     * deleting older ones.
     *
     * @param clock epoch milliseconds (the day a record belongs to)
     */
    public static FeedbackIndex open(Path dir, int days, LongSupplier clock) throws IOException {
        Files.createDirectories(dir);
        FeedbackIndex index = new FeedbackIndex(dir, days, clock);
        index.load();
        return index;
    }

    private void load() throws IOException {
        long today = Math.floorDiv(clock.getAsLong(), 86_400_000L);
        deleteOld(today);
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                Long d = dayOf(f);
                if (d != null) {
                    found.add(d);
                }
            }
        }
        found.sort(null);
        for (long d : found) {
            loadDay(d);
        }
    }

    private void loadDay(long d) throws IOException {
        Path file = file(d);
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                if (i - start <= MAX_LINE) {
                    Record r = Record.parse(new String(all, start, i - start, StandardCharsets.UTF_8));
                    if (r != null) {
                        keys(r, position(d, start));
                    }
                }
                start = i + 1;
            }
        }
        if (start < all.length) { // a torn last line: cut it, so the next append starts a line
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(start);
            }
        }
        readers.put(d, FileChannel.open(file, StandardOpenOption.READ));
    }

    /**
     * Records one delivery transaction: message {@code messageId} from {@code sender} with Message-ID
     * {@code messageIdHeader} ("" when it has none) to {@code recipients}, whose ordinals in the message are
     * {@code ordinals}. A failure to write is thrown as {@link UncheckedIOException}; the caller logs it and goes on
     * (delivery never waits for the index).
     */
    public synchronized void record(long messageId, String sender, String messageIdHeader, List<String> recipients,
                                    int[] ordinals) {
        long now = clock.getAsLong();
        long today = Math.floorDiv(now, 86_400_000L);
        try {
            if (today != day) {
                roll(today);
            }
            String mid = MessageIdKey.normalise(messageIdHeader);
            long midKey = mid.isEmpty() ? MISSING : MessageIdKey.hash(mid);
            long previous = midKey == MISSING ? MISSING : positions.get(midKey);
            line.setLength(0);
            line.append(Long.toHexString(messageId)).append('\t')
                    .append(previous == MISSING ? "-" : Long.toHexString(previous)).append('\t')
                    .append(sender).append('\t').append(mid.isEmpty() ? "-" : mid);
            for (int i = 0; i < recipients.size(); i++) {
                line.append('\t').append(ordinals[i]).append('=').append(recipients.get(i));
            }
            line.append('\n');
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_LINE) {
                return; // a huge envelope: not matchable through the index (reports naming it still match by token)
            }
            long at = position(today, offset);
            out.write(bytes);
            offset += bytes.length;
            if (pendingSinceNanos < 0) {
                pendingSinceNanos = System.nanoTime();
            } else if (System.nanoTime() - pendingSinceNanos > FLUSH_AFTER_NANOS) {
                flush();
            }
            for (int ordinal : ordinals) {
                positions.put(verpKey(messageId, ordinal), at);
            }
            if (midKey != MISSING) {
                positions.put(midKey, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("feedback index " + file(today) + ": " + e.getMessage(), e);
        }
    }

    /** The recipient a VERP token names (not yet verified), or null when the index has no record of it. */
    public Sent byVerp(long messageId, int ordinal) throws IOException {
        long at = positionOf(verpKey(messageId, ordinal));
        Record r = at == MISSING ? null : read(at);
        if (r == null || r.messageId != messageId) {
            return null;
        }
        for (int i = 0; i < r.ordinals.length; i++) {
            if (r.ordinals[i] == ordinal) {
                return new Sent(messageId, ordinal, r.recipients.get(i), r.sender, r.messageIdHeader);
            }
        }
        return null;
    }

    /** Every recipient of the messages sent with this Message-ID (newest transaction first); empty when none. */
    public List<Sent> byMessageId(String messageIdHeader) throws IOException {
        String mid = MessageIdKey.normalise(messageIdHeader);
        List<Sent> out = new ArrayList<>();
        if (mid.isEmpty()) {
            return out;
        }
        long at = positionOf(MessageIdKey.hash(mid));
        for (int hops = 0; at != MISSING && hops < 10_000; hops++) {
            Record r = read(at);
            if (r == null || !r.messageIdHeader.equals(mid)) {
                break;
            }
            for (int i = 0; i < r.ordinals.length; i++) {
                out.add(new Sent(r.messageId, r.ordinals[i], r.recipients.get(i), r.sender, mid));
            }
            at = r.previous;
        }
        return out;
    }

    /** Keys held in memory (tests, the start log). */
    public synchronized int size() {
        return positions.size();
    }

    /** Where {@code key}'s line is, with every buffered line written out first; under the lock. */
    private synchronized long positionOf(long key) throws IOException {
        flush();
        return positions.get(key);
    }

    /** The line at {@code at}, read outside the lock; null when its day left the window or it is not readable. */
    private Record read(long at) throws IOException {
        FileChannel ch = readers.get(at >>> OFFSET_BITS);
        if (ch == null) {
            return null; // its day left the window
        }
        ByteBuffer buf = ByteBuffer.allocate(4096);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(512);
        long pos = at & OFFSET_MASK;
        try {
            while (line.size() <= MAX_LINE) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    return null;
                }
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        line.write(buf.array(), 0, i);
                        return Record.parse(line.toString(StandardCharsets.UTF_8));
                    }
                }
                line.write(buf.array(), 0, n);
                pos += n;
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            return null; // its day was deleted meanwhile
        }
        return null;
    }

    private void keys(Record r, long at) {
        for (int ordinal : r.ordinals) {
            positions.put(verpKey(r.messageId, ordinal), at);
        }
        if (!r.messageIdHeader.isEmpty()) {
            positions.put(MessageIdKey.hash(r.messageIdHeader), at);
        }
    }

    /** A new day: close the old file, open today's for append, drop days that left the window. */
    private void roll(long today) throws IOException {
        flush();
        if (out != null) {
            out.close();
        }
        Path file = file(today);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        offset = ch.size();
        out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 64 * 1024);
        day = today;
        readers.computeIfAbsent(today, d -> {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (deleteOld(today)) {
            Long2LongHashMap.EntryIterator it = positions.entrySet().iterator();
            while (it.hasNext()) {
                it.next();
                if (!readers.containsKey(it.getLongValue() >>> OFFSET_BITS)) {
                    it.remove();
                }
            }
        }
    }

    /** Deletes the files (and closes the readers) of days before the window; true when any went. */
    private boolean deleteOld(long today) throws IOException {
        boolean any = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                Long d = dayOf(f);
                if (d != null && d <= today - days) {
                    FileChannel ch = readers.remove(d);
                    if (ch != null) {
                        ch.close();
                    }
                    Files.deleteIfExists(f);
                    any = true;
                }
            }
        }
        return any;
    }

    private void flush() throws IOException {
        if (out != null && pendingSinceNanos >= 0) {
            out.flush();
        }
        pendingSinceNanos = -1;
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        if (out != null) {
            out.close();
            out = null;
        }
        for (FileChannel ch : readers.values()) {
            ch.close();
        }
        readers.clear();
    }

    private Path file(long d) {
        return dir.resolve(LocalDate.ofEpochDay(d) + SUFFIX);
    }

    private static Long dayOf(Path f) {
        String name = f.getFileName().toString();
        try {
            return LocalDate.parse(name.substring(0, name.length() - SUFFIX.length())).toEpochDay();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long position(long d, long offset) {
        return (d << OFFSET_BITS) | offset;
    }

    /** A key for the VERP lookup: the message id and ordinal, mixed (distinct from Message-ID hashes in practice). */
    private static long verpKey(long messageId, int ordinal) {
        long h = messageId * 0x9E3779B97F4A7C15L + ordinal;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (h ^ (h >>> 29)) | 1L; // odd; never MISSING
    }

    /** One line read back. */
    private record Record(long messageId, long previous, String sender, String messageIdHeader,
                          List<String> recipients, int[] ordinals) {
        static Record parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                return null;
            }
            try {
                long id = Long.parseUnsignedLong(f[0], 16);
                long previous = f[1].equals("-") ? MISSING : Long.parseUnsignedLong(f[1], 16);
                List<String> recipients = new ArrayList<>();
                int[] ordinals = new int[f.length - 4];
                for (int i = 4; i < f.length; i++) {
                    int eq = f[i].indexOf('=');
                    ordinals[i - 4] = Integer.parseInt(f[i], 0, eq, 10);
                    recipients.add(f[i].substring(eq + 1));
                }
                return new Record(id, previous, f[2], f[3].equals("-") ? "" : f[3], recipients, ordinals);
            } catch (RuntimeException e) {
                return null; // not a line this class wrote: skipped
            }
        }
    }
}
