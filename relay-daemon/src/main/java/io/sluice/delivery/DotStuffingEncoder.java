package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.smtp.codec.LineBytes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns stored message text into SMTP DATA text (RFC 5321 4.5.2): a line that starts with {@code '.'} gets one
 * more {@code '.'}, and the last piece is followed by {@code .<CRLF>}, preceded by a CRLF when the text does not
 * already end with a line break (an empty text is just {@code .<CRLF>}).
 *
 * <p>Input: {@link MessageText} pieces of one message, in order; a message may arrive in any number of pieces, cut
 * anywhere (between CR and LF, right before a dot, ...): whether the next byte starts a line is carried over.
 * Other messages pass through untouched, so commands share the pipeline. Output: retained slices of the input,
 * cut just after each dot that must be doubled, so that dot goes out twice; no byte is copied and no buffer is
 * allocated besides Netty's slice wrappers (one per stuffed line plus one per piece).
 *
 * <p>A line starts after every LF. Stored text has CRLF line ends only (ingress normalises or rejects bare LF), so
 * this equals "after CRLF"; should a bare LF ever be stored, stuffing after it too keeps a lenient next hop from
 * reading {@code <LF>.<CRLF>} as the end of the data (SMTP smuggling).
 *
 * <p>Threading: one instance per channel, event loop only.
 */
final class DotStuffingEncoder extends MessageToMessageEncoder<MessageText> {
    private static final ByteBuf DOT_CRLF = constant(".\r\n");
    private static final ByteBuf CRLF_DOT_CRLF = constant("\r\n.\r\n");

    /** The next text byte starts a line; true before the first byte of a message. */
    private boolean atLineStart = true;
    /** The message so far ends with LF (or has no bytes yet, see {@link #empty}). */
    private boolean endsWithLf;
    private boolean empty = true;

    DotStuffingEncoder() {
        super(MessageText.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MessageText text, List<Object> out) {
        ByteBuf in = text.content();
        int end = in.writerIndex();
        int segmentStart = in.readerIndex();
        int pos = segmentStart;
        // Dots are rarer than line ends: find each dot (eight octets at a time) and stuff it when a line starts there
        // (after an LF, or at the start of this piece when the last one ended a line).
        while (pos < end) {
            int dot = LineBytes.indexOf(in, pos, end, (byte) '.');
            if (dot < 0) {
                break;
            }
            if (dot == in.readerIndex() ? atLineStart : in.getByte(dot - 1) == '\n') {
                // Send up to and including this dot, then start the next slice at the same dot: it goes out twice.
                out.add(in.retainedSlice(segmentStart, dot + 1 - segmentStart));
                segmentStart = dot;
            }
            pos = dot + 1;
        }
        if (end > in.readerIndex()) {
            atLineStart = in.getByte(end - 1) == '\n';
        }
        if (segmentStart < end) {
            out.add(in.retainedSlice(segmentStart, end - segmentStart));
        }
        if (end > in.readerIndex()) {
            empty = false;
            endsWithLf = in.getByte(end - 1) == '\n';
        }
        if (text.isLast()) {
            out.add((empty || endsWithLf ? DOT_CRLF : CRLF_DOT_CRLF).duplicate());
            atLineStart = true;
            endsWithLf = false;
            empty = true;
        } else if (out.isEmpty()) {
            // An empty piece: the encoder contract wants some output, and the write's promise must complete.
            out.add(Unpooled.EMPTY_BUFFER);
        }
    }

    private static ByteBuf constant(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }
}
