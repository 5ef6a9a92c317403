package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The suppression list on disk: an append-only log of add and remove records, fsynced before an add or a remove is
 * acknowledged, replayed at start, and rewritten without dead records when they outnumber the live ones.
 *
 * <pre>
 *   file:   "SLSUPLOG" (8 bytes) | version u8 = 1 | records ...
 *   record: op u8 (1 add, 2 remove) | scope u8 | reason u8 | source u8 | time i64 (epoch ms)
 *           | expires i64 (epoch ms, 0 = never) | scope value length u16 | scope value (UTF-8)
 *           | address length u16 | address (UTF-8) | CRC32C of the record's bytes before it, u32
 * </pre>
 * Little-endian. A remove record's reason, source and expiry are 0. A torn or corrupt record at the end (the
 * process died in the middle of an append that was never acknowledged) ends the replay there and is cut off;
 * corruption with more than a record's worth of bytes after it stops the start with an error naming the offset
 * (nothing is cut: the entries after it may be acknowledged ones). A failed append is cut back at once.
 *
 * <p>Threading: appends are serialised by the caller ({@link SuppressionList}); replay runs once, before.
 */
final class SuppressionLog implements AutoCloseable {
    static final byte[] MAGIC = "SLSUPLOG".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int OP_ADD = 1;
    static final int OP_REMOVE = 2;
    /** Fixed bytes of a record besides its two strings. */
    private static final int FIXED = 4 + 8 + 8 + 2 + 2 + 4;
    private static final int HEADER = MAGIC.length + 1;
    private static final int READ_CHUNK = 8 << 20;

    /** Receives the records of a replay in order; {@code address} and {@code scopeValue} are reused buffers. */
    interface Visitor {
        void record(int op, SuppressionScope scope, CharSequence scopeValue, CharSequence address, BounceReason reason,
                    SuppressionSource source, long timeMillis, long expiresMillis, long offset);
    }

    private final Path file;
    private FileChannel channel;
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    /** Why appends are refused (a failed append could not be cut back), or null. */
    private String broken;
    /** The longest record: the two strings at their largest. */
    static final int MAX_RECORD = FIXED + 2 * 0xFFFF;

    private SuppressionLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the log and replays it into {@code visitor}; cuts off a torn tail. */
    static SuppressionLog open(Path file, Visitor visitor) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (ch.size() == 0) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                header.put(MAGIC).put((byte) VERSION).flip();
                while (header.hasRemaining()) {
                    ch.write(header);
                }
                ch.force(true);
                syncDirectory(file);
            } else {
                long good = replay(ch, file, visitor);
                long bad = ch.size() - good;
                if (bad > MAX_RECORD) {
                    throw new IOException(file + ": corrupt record at offset " + good + " with " + bad + " bytes "
                            + "after it (not a torn last record): the entries after it cannot be trusted. Move the "
                            + "file aside (sluice suppress export can still read the entries before it) and start "
                            + "again");
                }
                if (bad > 0) {
                    ch.truncate(good); // a torn last record: its append was never acknowledged
                    ch.force(true);
                }
            }
            ch.position(ch.size());
            return new SuppressionLog(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Appends the records and forces them to disk before returning. On failure (a full disk) the file is cut back
     * to where it was, so a half-written record never sits in front of later, acknowledged ones; when even that
     * fails the log refuses every later append.
     */
    void append(int op, List<SuppressionEntry> entries) throws IOException {
        if (broken != null) {
            throw new IOException("suppression log " + file + " is unusable after an earlier failure: " + broken);
        }
        long start = channel.position();
        try {
            out.clear();
            for (SuppressionEntry e : entries) {
                encode(op, e);
                if (out.position() > out.capacity() / 2) {
                    flushBuffer();
                }
            }
            flushBuffer();
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(start);
                channel.position(start);
                channel.force(false);
            } catch (IOException | RuntimeException cut) {
                broken = cut.toString();
                e.addSuppressed(cut);
            }
            throw e;
        }
    }

    /** Bytes on disk. */
    long size() throws IOException {
        return channel.size();
    }

    /** Decides which add records a compaction keeps. */
    interface Live {
        boolean keep(SuppressionScope scope, CharSequence scopeValue, CharSequence address, long timeMillis,
                     long expiresMillis);
    }

    /**
     * Replaces the log with one holding only the add records {@code live} keeps (the entries in force, once each),
     * written beside it from a replay of the current file, fsynced and renamed over it: a crash leaves the old or
     * the new log, never a mix. Returns the records kept.
     */
    long compact(Live live) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        long[] kept = {0};
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel target = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            FileChannel was = channel;
            channel = target;
            IOException[] failed = {null};
            try {
                out.clear();
                out.put(MAGIC).put((byte) VERSION);
                replay(source, file, (op, scope, value, address, reason, src, time, expires, offset) -> {
                    if (op != OP_ADD || failed[0] != null || !live.keep(scope, value, address, time, expires)) {
                        return;
                    }
                    try {
                        encode(OP_ADD, new SuppressionEntry(address.toString(), scope, value.toString(), reason, src,
                                time, expires));
                        kept[0]++;
                        if (out.position() > out.capacity() / 2) {
                            flushBuffer();
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
                flushBuffer();
                target.force(true);
            } finally {
                channel = was;
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file);
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
        return kept[0];
    }

    /** Replays the log as it is on disk now (for listing and export), on its own read channel. */
    void replay(Visitor visitor) throws IOException {
        replayFile(file, visitor);
    }

    /** Makes the file's directory entry durable (a new file, a rename). */
    private static void syncDirectory(Path file) {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the file's own data is synced
        }
    }

    /** Replays a log file read-only (another process may be appending to it: a torn tail just ends the replay). */
    static void replayFile(Path file, Visitor visitor) throws IOException {
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
            if (source.size() > 0) {
                replay(source, file, visitor);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void encode(int op, SuppressionEntry e) {
        byte[] value = e.scopeValue().getBytes(StandardCharsets.UTF_8);
        byte[] address = e.address().getBytes(StandardCharsets.UTF_8);
        int length = FIXED + value.length + address.length;
        if (out.remaining() < length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        int start = out.position();
        out.put((byte) op).put((byte) e.scope().code());
        out.put(op == OP_ADD ? e.reason().code() : 0).put((byte) (op == OP_ADD ? e.source().code() : 0));
        out.putLong(e.timeMillis()).putLong(op == OP_ADD ? e.expiresMillis() : 0);
        out.putShort((short) value.length).put(value);
        out.putShort((short) address.length).put(address);
        crc.reset();
        crc.update(out.array(), start, out.position() - start);
        out.putInt((int) crc.getValue());
    }

    private void flushBuffer() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    /** Replays every whole, intact record; returns the offset after the last one. */
    private static long replay(FileChannel ch, Path file, Visitor visitor) throws IOException {
        long size = ch.size();
        ByteBuffer buf = ByteBuffer.allocateDirect(READ_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(0);
        readFully(ch, buf, Math.min(size, READ_CHUNK));
        buf.flip();
        if (buf.remaining() < HEADER || !startsWithMagic(buf)) {
            throw new IOException(file + ": not a Sluice suppression log (bad header)");
        }
        int version = buf.get(MAGIC.length);
        if (version != VERSION) {
            throw new IOException(file + ": suppression log version " + version + "; this build reads " + VERSION);
        }
        buf.position(HEADER);
        long base = 0; // file offset of buf's index 0
        Utf8Chars value = new Utf8Chars();
        Utf8Chars address = new Utf8Chars();
        CRC32C crc = new CRC32C();
        while (true) {
            if (buf.remaining() < FIXED || buf.remaining() < recordLength(buf)) {
                long consumed = base + buf.position();
                if (consumed >= size) {
                    return consumed;
                }
                buf.compact();
                base = consumed;
                ch.position(base + buf.position());
                int read = readFully(ch, buf, Math.min(buf.remaining(), size - base - buf.position()));
                buf.flip();
                if (read == 0 || buf.remaining() < FIXED || buf.remaining() < recordLength(buf)) {
                    return base; // a torn record at the end
                }
            }
            int start = buf.position();
            int length = recordLength(buf);
            crc.reset();
            ByteBuffer slice = buf.duplicate();
            slice.position(start).limit(start + length - 4);
            crc.update(slice);
            if ((int) crc.getValue() != buf.getInt(start + length - 4)) {
                return base + start; // corrupt: nothing after it is trusted
            }
            int op = buf.get(start) & 0xff;
            SuppressionScope scope = SuppressionScope.ofCode(buf.get(start + 1) & 0xff);
            BounceReason reason = BounceReason.ofCode(buf.get(start + 2) & 0xff);
            SuppressionSource source = SuppressionSource.ofCode(buf.get(start + 3) & 0xff);
            long time = buf.getLong(start + 4);
            long expires = buf.getLong(start + 12);
            int valueLength = buf.getShort(start + 20) & 0xffff;
            value.decode(buf, start + 22, valueLength);
            int addressLength = buf.getShort(start + 22 + valueLength) & 0xffff;
            address.decode(buf, start + 24 + valueLength, addressLength);
            if (scope != null && (op == OP_ADD || op == OP_REMOVE)) {
                visitor.record(op, scope, value, address, reason,
                        source == null ? SuppressionSource.OPERATOR : source, time, expires, base + start);
            }
            buf.position(start + length);
        }
    }

    /** The length of the record at the buffer's position, or MAX_VALUE when its strings' lengths are not in yet. */
    private static int recordLength(ByteBuffer buf) {
        int p = buf.position();
        if (buf.remaining() < 22) {
            return Integer.MAX_VALUE;
        }
        int valueLength = buf.getShort(p + 20) & 0xffff;
        if (buf.remaining() < 24 + valueLength) {
            return Integer.MAX_VALUE;
        }
        int addressLength = buf.getShort(p + 22 + valueLength) & 0xffff;
        return FIXED + valueLength + addressLength;
    }

    private static boolean startsWithMagic(ByteBuffer buf) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (buf.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long want) throws IOException {
        int total = 0;
        while (total < want && buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
