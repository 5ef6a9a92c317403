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
 * {@code List-Unsubscribe} is stored as received: the sender's own unsubscribe handling stands.
 *
 * <p>Memory: each own copy is a direct buffer of the headers and the text, counted by the caller until the journal
 * has them. Pure but for the allocation; the event loop's.
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
    static List<Part> plan(UnsubscribeHeaders headers, RouteInputs inputs, List<String> recipients, ByteBuf text,
                           boolean hasListUnsubscribe, LongSupplier ids, long nowMillis, ByteBufAllocator alloc) {
        if (hasListUnsubscribe || !headers.anyRoute()) {
            return null;
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
        return parts;
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
