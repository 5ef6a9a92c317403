package io.sluice.journal;

import static io.sluice.journal.AcceptedDescriptor.BODY_LENGTH_OFFSET;
import static io.sluice.journal.AcceptedDescriptor.BODY_OFFSET_OFFSET;
import static io.sluice.journal.AcceptedDescriptor.MESSAGE_ID_OFFSET;
import static io.sluice.journal.AcceptedDescriptor.RECEIVED_AT_OFFSET;
import static io.sluice.journal.AcceptedDescriptor.RECIPIENT_COUNT_OFFSET;
import static io.sluice.journal.AcceptedDescriptor.STRINGS_OFFSET;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads ACCEPTED records back from {@code bodies/}: by message id, following compaction's relocations
 * ({@link #read(long, long, AcceptedRecord, BodyConsumer)}), by index, or in order ({@link #next}), the envelope
 * into an {@link AcceptedRecord} and the body, in 64 KiB chunks, into a {@link BodyConsumer}.
 *
 * <p>Relocation: the compactor copies a long-pending message to the head of {@code bodies/} and deletes its old
 * cycle, so an index captured when the message was queued may point into a deleted file. Reading by id looks the
 * message up in the journal's {@link Relocations} first, then tries the index it was given, and looks again if
 * that failed (the compactor publishes the new index before it deletes the old cycle, so the second look finds
 * it). Only a message that completed meanwhile is then not found.
 *
 * <p>Uses its own Chronicle tailer (never a named one, so it writes nothing); single-threaded, one per reading
 * thread; many may run while the writer compacts. Reading touches the mapped pages of the body: keep it off Netty
 * event loops. Throws {@link JournalFormatException} for a record that is not a readable ACCEPTED.
 *
 * <p>Disk space: the tailer keeps the cycle file it last read mapped, and a deleted file's space comes back only
 * when the last mapping goes. A busy reader moves on by itself; an idle one must call {@link #releaseDeleted()}
 * now and then (about every second), or the cycle the compactor deleted last stays on disk for as long as the
 * reader sleeps.
 */
public final class BodiesReader implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    /** Null after {@link #releaseDeleted()} let it go; the next read opens a new one. */
    private ExcerptTailer tailer;
    /** Null for offline readers (dump), which see no live compaction. */
    private final Relocations relocations;
    /** Deletion totals of the live journal (null offline), and what they were when {@link #tailer} was opened. */
    private final CompactionStats deletions;
    private long deletionsSeen;
    private byte[] chunk;

    BodiesReader(SingleChronicleQueue queue, boolean ownsQueue) {
        this(queue, ownsQueue, null, null);
    }

    private BodiesReader(SingleChronicleQueue queue, boolean ownsQueue, Relocations relocations,
                         CompactionStats deletions) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.relocations = relocations;
        this.deletions = deletions;
        this.tailer = openTailer();
    }

    /** Opens a reader on the journal's {@code bodies/}; the journal must stay open while it is used. */
    public static BodiesReader open(Journal journal) {
        return new BodiesReader(journal.bodies(), false, journal.relocations(), journal.compactionStats());
    }

    /**
     * Lets go of the cycle file the tailer holds if the compactor deleted any {@code bodies/} cycle since the
     * tailer was opened, so that the file's space is freed; the next read opens a new tailer. One volatile read
     * when nothing was deleted. Call it on the reading thread when idle.
     */
    public void releaseDeleted() {
        if (deletions != null && tailer != null && deletions.bodiesCyclesDeleted() != deletionsSeen) {
            tailer.close();
            tailer = null;
        }
    }

    private ExcerptTailer openTailer() {
        deletionsSeen = deletions == null ? 0 : deletions.bodiesCyclesDeleted();
        return queue.createTailer();
    }

    private ExcerptTailer tailer() {
        if (tailer == null) {
            tailer = openTailer();
        }
        return tailer;
    }

    /**
     * Reads the record at {@code bodiesIndex}; false if there is none. {@code body} may be null to skip it. Does
     * not follow relocations: a message compacted away from this index reads as absent once its old cycle is
     * deleted. Prefer {@link #read(long, long, AcceptedRecord, BodyConsumer)}.
     */
    public boolean read(long bodiesIndex, AcceptedRecord into, BodyConsumer body) {
        if (!tailer().moveToIndex(bodiesIndex)) {
            return false;
        }
        return next(into, body);
    }

    /**
     * Reads message {@code messageId} wherever it lives now: its relocated index if compaction moved it, else
     * {@code bodiesIndexHint} (the index it was queued or recovered with). False if neither holds its ACCEPTED
     * record (the message completed and its cycle was deleted, or it was never durable). {@code body} may be
     * null; it is fed only from the record whose id matches. No allocation when nothing was relocated.
     */
    public boolean read(long messageId, long bodiesIndexHint, AcceptedRecord into, BodyConsumer body) {
        long relocated = relocations == null ? -1 : relocations.lookup(messageId);
        if (relocated >= 0 && readMessage(relocated, messageId, into, body)) {
            return true;
        }
        if (relocated != bodiesIndexHint && readMessage(bodiesIndexHint, messageId, into, body)) {
            return true;
        }
        long again = relocations == null ? -1 : relocations.lookup(messageId);
        return again >= 0 && again != relocated && readMessage(again, messageId, into, body);
    }

    private boolean readMessage(long index, long messageId, AcceptedRecord into, BodyConsumer body) {
        try {
            if (!tailer().moveToIndex(index)) {
                return false;
            }
        } catch (IllegalStateException e) {
            return false; // its cycle file vanished while Chronicle was opening it: the compactor deleted it
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> b = dc.wire().bytes();
            long start = b.readPosition();
            if (b.readRemaining() < AcceptedDescriptor.HEADER_LENGTH
                || b.readLong(start + MESSAGE_ID_OFFSET) != messageId) {
                return false;
            }
            decode(b, dc.index(), into, body);
            return true;
        }
    }

    /** Reads the next record in order (the first one after opening); false at the end. */
    public boolean next(AcceptedRecord into, BodyConsumer body) {
        try (DocumentContext dc = tailer().readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            decode(dc.wire().bytes(), dc.index(), into, body);
            return true;
        }
    }

    private void decode(Bytes<?> b, long index, AcceptedRecord into, BodyConsumer body) {
        long start = b.readPosition();
        int type = b.readUnsignedByte(start + RecordHeader.TYPE_OFFSET);
        if (type != RecordHeader.TYPE_ACCEPTED) {
            throw new JournalFormatException(String.format("record 0x%x in bodies/ has type 0x%02x", index, type));
        }
        int version = b.readUnsignedByte(start + RecordHeader.VERSION_OFFSET);
        RecordHeader.checkVersion(type, version, index);
        int recipients = b.readUnsignedShort(start + RECIPIENT_COUNT_OFFSET);
        int bodyOffset = b.readInt(start + BODY_OFFSET_OFFSET);
        int bodyLength = b.readInt(start + BODY_LENGTH_OFFSET);
        if (bodyOffset < STRINGS_OFFSET || bodyLength < 0 || start + bodyOffset + bodyLength > b.readLimit()) {
            throw new JournalFormatException(String.format("record 0x%x in bodies/ has a bad body range", index));
        }
        into.bodiesIndex = index;
        into.id = b.readLong(start + MESSAGE_ID_OFFSET);
        into.receivedAtMillis = b.readLong(start + RECEIVED_AT_OFFSET);
        into.bodyLength = bodyLength;
        b.readPosition(start + STRINGS_OFFSET);
        into.listener = Utf8Field.read(b);
        into.clientAddress = Utf8Field.read(b);
        into.heloName = Utf8Field.read(b);
        String auth = Utf8Field.read(b);
        into.authIdentity = auth.isEmpty() ? null : auth;
        into.sender = Utf8Field.read(b);
        into.routingTags = Utf8Field.read(b);
        into.recipients.clear();
        for (int i = 0; i < recipients; i++) {
            into.recipients.add(Utf8Field.read(b));
        }
        into.smtpUtf8 = version >= 2 && (b.readUnsignedByte() & AcceptedDescriptor.FLAG_SMTPUTF8) != 0;
        if (b.readPosition() != start + bodyOffset) {
            throw new JournalFormatException(String.format("record 0x%x in bodies/: envelope does not end at the body",
                index));
        }
        if (body != null) {
            long address = body.addressFor(bodyLength);
            if (address != 0) {
                b.nativeRead(start + bodyOffset, address, bodyLength); // mapped file -> consumer's memory: one copy
                body.copied(bodyLength);
                return;
            }
            if (chunk == null) {
                chunk = new byte[CHUNK];
            }
            long pos = start + bodyOffset;
            long end = pos + bodyLength;
            while (pos < end) {
                int n = (int) Math.min(CHUNK, end - pos);
                b.read(pos, chunk, 0, n);
                body.accept(chunk, 0, n);
                pos += n;
            }
        }
    }

    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
        }
        if (ownsQueue) {
            queue.close();
        }
    }
}
