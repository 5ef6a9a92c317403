package io.sluice.journal;

import io.sluice.model.BounceReason;
import io.sluice.util.IsoInstant;
import io.sluice.util.JsonText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Offline inspection: prints one JSON line per ACCEPTED message in {@code bodies/}, in journal order:
 * <pre>
 * {"id":"0186a3f2c4500001","bodiesIndex":"0x2da86500000000","time":"2026-11-22T08:50:01.123Z",
 *  "listener":"main","client":"127.0.0.1","helo":"app1","auth":null,"sender":"a@example.com","tags":{},
 *  "recipients":["b@example.org"],"size":1234,"sha256":"...","state":"pending","recipientStates":["pending"]}
 * </pre>
 * {@code size} and {@code sha256} are of the stored bytes. {@code recipientStates} has one entry per recipient:
 * {@code pending} (never tried, or no DEFERRED yet), {@code deferred} (failed temporarily, waiting for a retry) or
 * its final outcome ({@code delivered}, {@code bounced}, {@code expired}, {@code suppressed}). {@code state} is the
 * common value when all recipients agree, else {@code mixed}; {@code unqueued} means there is no QUEUED record (the
 * writer failed between the two records, or a crash cut the batch: never acknowledged; or retention deleted the
 * {@code state/} cycle that held it and the message is no longer pending); {@code final} is a recipient known only
 * from a checkpoint to be done, whose OUTCOME retention deleted.
 *
 * <p>Compaction: a message is printed once, from its current place ({@code bodiesIndex} after its last RELOCATED,
 * or from the last checkpoint when its QUEUED is gone); a stale copy (the original of a relocated message before
 * its cycle is deleted, or a copy a crash left without RELOCATED) is skipped.
 *
 * <p>Only when some recipient is deferred, a {@code retries} array follows with one entry per recipient: null for
 * recipients that are not deferred, else the last DEFERRED's failed attempts so far, next due time and last reply
 * (code 0 = no reply, e.g. a connection failure):
 * <pre>
 *  ...,"state":"mixed","recipientStates":["deferred","delivered"],
 *  "retries":[{"attempts":2,"nextDue":"2026-11-22T09:05:00Z","replyCode":451,"reply":"4.7.1 try later"},null]}
 * </pre>
 *
 * <p>Safe while the daemon runs: both queues are opened read-only (no files created, no write lock, no named
 * tailer) and a record being written stays invisible. Reads all of {@code state/} first (memory proportional to
 * the messages in it), then streams {@code bodies/}. Single-threaded.
 */
public final class JournalDump {
    private JournalDump() {
    }

    /**
     * Dumps the journal at {@code dir} to {@code out}; returns the number of messages printed.
     *
     * @throws IOException if {@code dir} holds no {@code bodies/} queue
     */
    public static long dump(Path dir, PrintStream out) throws IOException {
        Path bodiesDir = dir.resolve("bodies");
        if (!Files.isDirectory(bodiesDir)) {
            throw new IOException("no journal at " + dir + " (missing bodies/)");
        }
        Long2ObjectHashMap<DumpRecipients> outcomes = readOutcomes(dir.resolve("state"));
        MessageDigest sha256 = sha256();
        BodyConsumer digest = sha256::update;
        AcceptedRecord record = new AcceptedRecord();
        StringBuilder line = new StringBuilder(512);
        long count = 0;
        try (BodiesReader reader = new BodiesReader(JournalQueues.openReadOnly(bodiesDir), true)) {
            while (true) {
                sha256.reset();
                if (!reader.next(record, digest)) {
                    break;
                }
                DumpRecipients states = outcomes.get(record.id());
                if (states != null && states.bodiesIndex() != record.bodiesIndex()) {
                    continue; // a stale copy: the message lives elsewhere now
                }
                line.setLength(0);
                format(line, record, sha256.digest(), states);
                out.println(line);
                count++;
            }
        }
        out.flush();
        return count;
    }

    /** Message id to its recipients' states, from QUEUED, DEFERRED and OUTCOME records. */
    private static Long2ObjectHashMap<DumpRecipients> readOutcomes(Path stateDir) {
        Long2ObjectHashMap<DumpRecipients> byId = new Long2ObjectHashMap<>();
        if (!Files.isDirectory(stateDir)) {
            return byId;
        }
        try (SingleChronicleQueue state = JournalQueues.openReadOnly(stateDir);
             ExcerptTailer tailer = state.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return byId;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long s = b.readPosition();
                    int type = b.readUnsignedByte(s + RecordHeader.TYPE_OFFSET);
                    if (type == RecordHeader.TYPE_QUEUED) {
                        int recipients = b.readUnsignedShort(s + QueuedDescriptor.RECIPIENT_COUNT_OFFSET);
                        byId.put(b.readLong(s + QueuedDescriptor.MESSAGE_ID_OFFSET), new DumpRecipients(recipients,
                            b.readLong(s + QueuedDescriptor.BODIES_INDEX_OFFSET)));
                    } else if (type == RecordHeader.TYPE_RELOCATED) {
                        DumpRecipients r = byId.get(b.readLong(s + RelocatedDescriptor.MESSAGE_ID_OFFSET));
                        if (r != null) {
                            r.relocated(b.readLong(s + RelocatedDescriptor.NEW_BODIES_INDEX_OFFSET));
                        }
                    } else if (type == RecordHeader.TYPE_CHECKPOINT_PART) {
                        readCheckpointPart(b, s, byId);
                    } else if (type == RecordHeader.TYPE_OUTCOME) {
                        DumpRecipients r = byId.get(b.readLong(s + OutcomeDescriptor.MESSAGE_ID_OFFSET));
                        if (r != null) {
                            r.outcome(b.readUnsignedShort(s + OutcomeDescriptor.RECIPIENT_INDEX_OFFSET),
                                b.readUnsignedByte(s + OutcomeDescriptor.OUTCOME_CODE_OFFSET),
                                OutcomeDescriptor.reason(b, s, b.readUnsignedByte(s + RecordHeader.VERSION_OFFSET)));
                        }
                    } else if (type == RecordHeader.TYPE_DEFERRED) {
                        readDeferred(b, s, byId);
                    }
                }
            }
        }
    }

    /** Learns messages whose QUEUED retention deleted from a checkpoint's entries (layout: CheckpointDescriptor). */
    private static void readCheckpointPart(Bytes<?> b, long s, Long2ObjectHashMap<DumpRecipients> byId) {
        int version = b.readUnsignedByte(s + RecordHeader.VERSION_OFFSET);
        int bitmapOffset = CheckpointDescriptor.entryBitmapOffset(version);
        int count = b.readInt(s + CheckpointDescriptor.PART_ENTRY_COUNT_OFFSET);
        long pos = s + CheckpointDescriptor.PART_ENTRIES_OFFSET;
        for (int i = 0; i < count && pos + bitmapOffset <= b.readLimit(); i++) {
            long id = b.readLong(pos + CheckpointDescriptor.ENTRY_MESSAGE_ID_OFFSET);
            int recipients = b.readUnsignedShort(pos + CheckpointDescriptor.ENTRY_RECIPIENT_COUNT_OFFSET);
            int flags = version >= 2 ? b.readUnsignedShort(pos + CheckpointDescriptor.ENTRY_FLAGS_OFFSET) : 0;
            boolean retries = (flags & CheckpointDescriptor.ENTRY_FLAG_RETRIES) != 0;
            boolean route = version >= 4 && (flags & CheckpointDescriptor.ENTRY_FLAG_ROUTE) != 0;
            int words = CheckpointDescriptor.bitmapWords(recipients);
            if (!byId.containsKey(id)) {
                DumpRecipients r = new DumpRecipients(recipients,
                    b.readLong(pos + CheckpointDescriptor.ENTRY_BODIES_INDEX_OFFSET));
                for (int rcpt = 0; rcpt < recipients; rcpt++) {
                    if ((b.readLong(pos + bitmapOffset + 8L * (rcpt >>> 6)) & (1L << rcpt)) == 0) {
                        r.finalUnknown(rcpt);
                    } else if (retries) {
                        long word = b.readLong(pos + bitmapOffset + 8L * (words + rcpt));
                        if (word != 0) { // the DEFERRED itself is gone: schedule only, reply unknown
                            r.deferred(rcpt, (int) (word >>> PendingMessage.DUE_BITS),
                                word & PendingMessage.MAX_DUE_MILLIS, 0, "", BounceReason.UNDEFINED);
                        }
                    }
                }
                byId.put(id, r);
            }
            pos += bitmapOffset + 8L * words + (retries ? 8L * recipients : 0)
                + b.readInt(pos + CheckpointDescriptor.ENTRY_BLOCK_LENGTH_OFFSET);
            if (route && pos < b.readLimit()) {
                pos += RouteInputsField.length(b, pos, RouteInputsField.fieldsOfCheckpoint(version));
            }
        }
    }

    private static void readDeferred(Bytes<?> b, long s, Long2ObjectHashMap<DumpRecipients> byId) {
        DumpRecipients r = byId.get(b.readLong(s + DeferredDescriptor.MESSAGE_ID_OFFSET));
        if (r == null) {
            return;
        }
        int textLength = b.readUnsignedShort(s + DeferredDescriptor.REPLY_TEXT_LENGTH_OFFSET);
        byte[] text = new byte[Math.max(0, (int) Math.min(textLength,
            b.readLimit() - s - DeferredDescriptor.REPLY_TEXT_OFFSET))];
        b.read(s + DeferredDescriptor.REPLY_TEXT_OFFSET, text, 0, text.length);
        r.deferred(b.readUnsignedShort(s + DeferredDescriptor.RECIPIENT_INDEX_OFFSET),
            b.readInt(s + DeferredDescriptor.ATTEMPTS_OFFSET), b.readLong(s + DeferredDescriptor.NEXT_DUE_OFFSET),
            b.readUnsignedShort(s + DeferredDescriptor.REPLY_CODE_OFFSET),
            new String(text, StandardCharsets.UTF_8),
            DeferredDescriptor.reason(b, s, b.readUnsignedByte(s + RecordHeader.VERSION_OFFSET)));
    }

    static void format(StringBuilder line, AcceptedRecord r, byte[] digest, DumpRecipients states) {
        line.append("{\"id\":\"").append(MessageIds.format(r.id())).append('"');
        line.append(",\"bodiesIndex\":\"0x").append(Long.toHexString(r.bodiesIndex())).append('"');
        IsoInstant.append(line.append(",\"time\":\""), r.receivedAtMillis()).append('"');
        line.append(",\"listener\":");
        JsonText.string(line, r.listener());
        line.append(",\"client\":");
        JsonText.string(line, r.clientAddress());
        line.append(",\"helo\":");
        JsonText.string(line, r.heloName());
        line.append(",\"auth\":");
        JsonText.string(line, r.authIdentity());
        line.append(",\"sender\":");
        JsonText.string(line, r.sender());
        if (r.smtpUtf8()) {
            line.append(",\"smtputf8\":true");
        }
        line.append(",\"tags\":{");
        if (!r.routingTags().isEmpty()) {
            String[] tags = r.routingTags().split("\n");
            for (int i = 0; i < tags.length; i++) {
                int eq = tags[i].indexOf('=');
                line.append(i > 0 ? "," : "");
                JsonText.string(line, tags[i].substring(0, eq));
                line.append(':');
                JsonText.string(line, tags[i].substring(eq + 1));
            }
        }
        line.append("},\"recipients\":[");
        for (int i = 0; i < r.recipients().size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            JsonText.string(line, r.recipients().get(i));
        }
        line.append("],\"size\":").append(r.bodyLength());
        line.append(",\"sha256\":\"");
        for (byte d : digest) {
            line.append(Character.forDigit((d >> 4) & 0xF, 16)).append(Character.forDigit(d & 0xF, 16));
        }
        line.append('"');
        String state = null;
        StringBuilder perRecipient = new StringBuilder();
        for (int i = 0; i < r.recipients().size(); i++) {
            String s = states == null ? "unqueued" : states.state(i);
            state = state == null || state.equals(s) ? s : "mixed";
            perRecipient.append(i > 0 ? ",\"" : "\"").append(s).append('"');
        }
        line.append(",\"state\":\"").append(state).append('"');
        line.append(",\"recipientStates\":[").append(perRecipient).append(']');
        if (states != null) {
            states.appendReasons(line, r.recipients().size());
        }
        if (states != null) {
            states.appendRetries(line, r.recipients().size());
        }
        line.append('}');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
