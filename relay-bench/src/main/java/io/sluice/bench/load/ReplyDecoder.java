package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * Frames the server's byte stream into SMTP replies (RFC 5321 4.2) and hands each complete reply to a
 * {@link ReplyListener} as an int code, without allocating per reply.
 *
 * <p>Input: reply lines {@code NNN-text CRLF} (continuation) or {@code NNN text CRLF} / {@code NNN CRLF} (last);
 * a bare LF also ends a line (we are the client, being lenient costs nothing). Output: one
 * {@link ReplyListener#onReply} call per reply, in order. Lines of a multi-line reply whose text is the keyword
 * PIPELINING (case-insensitive) set the reply's pipelining flag. Threading: one instance per channel, event loop
 * only. Limits: a line longer than {@value #MAX_LINE_BYTES} bytes or one that does not start with three digits
 * fails the channel with a {@link DecoderException}, which the session counts as a connection error.
 */
public final class ReplyDecoder extends ByteToMessageDecoder {

    /** RFC 5321 4.5.3.1.5 allows 512 for a reply line; leave room for lax servers. */
    public static final int MAX_LINE_BYTES = 2048;
    private static final byte[] PIPELINING = {'P', 'I', 'P', 'E', 'L', 'I', 'N', 'I', 'N', 'G'};

    private final ReplyListener listener;
    private boolean pipeliningSeen;

    public ReplyDecoder(ReplyListener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE_BYTES) {
                    throw new TooLongFrameException("reply line longer than " + MAX_LINE_BYTES + " bytes");
                }
                return;
            }
            int start = in.readerIndex();
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            in.readerIndex(lf + 1);
            if (end - start > MAX_LINE_BYTES) {
                throw new TooLongFrameException("reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line(in, start, end);
        }
    }

    private void line(ByteBuf in, int start, int end) {
        int length = end - start;
        if (length < 3) {
            throw new DecoderException("malformed reply line (shorter than a code)");
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            int digit = in.getByte(start + i) - '0';
            if (digit < 0 || digit > 9) {
                throw new DecoderException("malformed reply line (no three-digit code)");
            }
            code = code * 10 + digit;
        }
        boolean last = length == 3 || in.getByte(start + 3) != '-';
        if (isPipeliningKeyword(in, start + 4, end)) {
            pipeliningSeen = true;
        }
        if (last) {
            boolean offers = pipeliningSeen;
            pipeliningSeen = false;
            listener.onReply(code, offers);
        }
    }

    /** EHLO keyword lines are "250-KEYWORD[ params]"; PIPELINING takes no parameters. */
    private static boolean isPipeliningKeyword(ByteBuf in, int from, int end) {
        if (end - from < PIPELINING.length) {
            return false;
        }
        for (int i = 0; i < PIPELINING.length; i++) {
            int b = in.getByte(from + i) & 0xdf; // ASCII upper-case
            if (b != PIPELINING[i]) {
                return false;
            }
        }
        int after = from + PIPELINING.length;
        return after == end || in.getByte(after) == ' ';
    }
}
