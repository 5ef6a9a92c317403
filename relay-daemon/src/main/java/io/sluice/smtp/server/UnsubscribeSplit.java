package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.config.RouteSettings;
import io.sluice.model.RouteInputs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How one accepted message is stored when routes ask for one-click unsubscribe (docs/BOUNCES.md "One-click
 * unsubscribe"): each recipient whose route has {@code unsubscribe} gets a message of its own, the text with that
 * recipient's {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} after Sluice's Received header
 * ({@link UnsubscribeHeaders}); the
 * other recipients stay together in the message as received. A message that brings its own
 * {@code List-Unsubscribe}, and mail from the null sender, are stored as received: the sender's own unsubscribe
 * handling stands, and a DSN is not a list anyone subscribed to.
 *
 * <p>Memory: each own copy is a direct buffer of the headers and the text; the caller counts them against
 * {@code smtp.max_inflight_data_bytes} until the journal has them and refuses a message whose copies alone would
 * exceed it ({@link #copyBytes}). Pure but for the allocation; the event loop's.
 */
final class UnsubscribeSplit {

    /** One message to store: its journal id, recipients, and its own text (null: the text as received). */
    record Part(long id, List<String> recipients, ByteBuf text) {
    }

    private UnsubscribeSplit() {
    }

    /**
     * The messages to store for {@code recipients}, or null when it is stored as received (one message, id from
     * {@code ids} by the caller). The parts' own buffers are the caller's to release.
     *
     * @param text the text as cleaned by {@link SubmissionHygiene} (its readable bytes)
     */
    /**
     * The bytes the own copies of {@code recipients} would take (0 when the message is stored as received), asked
     * before {@link #plan} so that a message whose copies cannot fit is refused before any is made.
     */
    static long copyBytes(UnsubscribeHeaders headers, RouteInputs inputs, List<String> recipients, long textBytes,
                          boolean hasListUnsubscribe) {
        if (hasListUnsubscribe || !headers.anyRoute() || inputs.senderDomain().isEmpty()) {
            return 0;
        }
        long copies = 0;
        for (String r : recipients) {
            if (headers.of(inputs, r) != null) {
                copies++;
            }
        }
        return copies * (textBytes + HEADER_ALLOWANCE);
    }

    /** Bytes allowed for one copy's unsubscribe header lines in {@link #copyBytes}. */
    static final int HEADER_ALLOWANCE = 2048;

    static List<Part> plan(UnsubscribeHeaders headers, RouteInputs inputs, List<String> recipients, ByteBuf text,
                           boolean hasListUnsubscribe, LongSupplier ids, long nowMillis, ByteBufAllocator alloc) {
        if (hasListUnsubscribe || !headers.anyRoute() || inputs.senderDomain().isEmpty()) {
            return null; // the null sender (a DSN) is not a list anyone subscribed to
        }
        RouteSettings.Unsubscribe[] settings = new RouteSettings.Unsubscribe[recipients.size()];
        boolean any = false;
        for (int i = 0; i < recipients.size(); i++) {
            settings[i] = headers.of(inputs, recipients.get(i));
            any |= settings[i] != null;
        }
        if (!any) {
            return null;
        }
        List<Part> parts = new ArrayList<>();
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            if (settings[i] == null) {
                shared.add(recipients.get(i));
            }
        }
        if (!shared.isEmpty()) {
            parts.add(new Part(ids.getAsLong(), List.copyOf(shared), null));
        }
        try {
            addCopies(parts, headers, inputs, recipients, settings, text, ids, nowMillis, alloc);
        } catch (RuntimeException | Error e) {
            for (Part p : parts) {
                if (p.text() != null) {
                    p.text().release();
                }
            }
            throw e;
        }
        return parts;
    }

    private static void addCopies(List<Part> parts, UnsubscribeHeaders headers, RouteInputs inputs,
                                  List<String> recipients, RouteSettings.Unsubscribe[] settings, ByteBuf text,
                                  LongSupplier ids, long nowMillis, ByteBufAllocator alloc) {
        for (int i = 0; i < recipients.size(); i++) {
            if (settings[i] == null) {
                continue;
            }
            long id = ids.getAsLong();
            byte[] lines = headers.headers(settings[i], inputs.senderDomain(), recipients.get(i), id, nowMillis)
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuf own = alloc.directBuffer(lines.length + text.readableBytes());
            int cut = afterFirstField(text);
            own.writeBytes(text, text.readerIndex(), cut - text.readerIndex()).writeBytes(lines)
                    .writeBytes(text, cut, text.writerIndex() - cut);
            parts.add(new Part(id, List.of(recipients.get(i)), own));
        }
    }

    /**
     * Where the first header field ends (after its folded lines): the Received header Sluice prepended, which stays
     * on top as trace fields must (RFC 5321 4.4); the text's start when it has no line end.
     */
    static int afterFirstField(ByteBuf text) {
        int end = text.writerIndex();
        int pos = text.readerIndex();
        while (true) {
            int lf = text.indexOf(pos, end, (byte) '\n');
            if (lf < 0) {
                return text.readerIndex();
            }
            pos = lf + 1;
            if (pos >= end || (text.getByte(pos) != ' ' && text.getByte(pos) != '\t')) {
                return pos;
            }
        }
    }
}
