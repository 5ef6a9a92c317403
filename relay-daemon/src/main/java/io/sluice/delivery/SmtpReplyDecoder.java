package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames the next hop's byte stream into {@link SmtpReply} values (RFC 5321 4.2: {@code code "-" text} lines
 * continue a reply, {@code code " " text} or a bare {@code code} ends it).
 *
 * <p>Written instead of netty-codec-smtp's {@code SmtpResponseDecoder} because that one reads text as US-ASCII
 * (RFC 6531 replies may be UTF-8), fails with an index error on a bare {@code "250"} and accepts non-digit codes.
 *
 * <p>The remote is untrusted: a line longer than {@link #MAX_LINE} bytes, a reply of more than
 * {@link #MAX_LINES} lines, a code that is not three digits starting 2-5, a separator other than space or hyphen,
 * or a continuation line whose code differs from the first all raise a {@link DecoderException}; the session
 * treats that as a protocol error and drops the connection. A line ends at LF; a CR before it is removed (lenient
 * about bare LF, as real MTAs are, since replies carry no message data).
 *
 * <p>Threading: one instance per channel, event loop only. Allocates the reply's strings per reply (delivery is
 * not in the allocation-free core).
 */
final class SmtpReplyDecoder extends ByteToMessageDecoder {
    /** Longest reply line accepted; RFC 5321 4.5.3.1.5 says 512, real servers send longer EHLO and 5xx texts. */
    static final int MAX_LINE = 4096;
    /** Most lines in one reply; long EHLO lists have about twenty. */
    static final int MAX_LINES = 200;

    private int code = -1;
    private List<String> lines;
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeOne(in, out);
        } catch (DecoderException e) {
            // The stream is out of step for good: drop what is buffered and everything after it.
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeOne(ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw fail("reply line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            in.readerIndex(lf + 1);
            if (end - start > MAX_LINE) {
                throw fail("reply line longer than " + MAX_LINE + " bytes");
            }
            SmtpReply reply = line(in, start, end);
            if (reply != null) {
                out.add(reply);
                // One reply per call: the session may change the pipeline (STARTTLS) before the next line is read.
                return;
            }
        }
    }

    /** Consumes one line; returns the reply when this line ends it. */
    private SmtpReply line(ByteBuf in, int start, int end) {
        int length = end - start;
        if (length < 3) {
            throw fail("reply line too short: '" + in.toString(start, length, StandardCharsets.UTF_8) + "'");
        }
        int lineCode = digit(in, start, '2', '5') * 100 + digit(in, start + 1, '0', '9') * 10
                + digit(in, start + 2, '0', '9');
        boolean last;
        if (length == 3 || in.getByte(start + 3) == ' ') {
            last = true;
        } else if (in.getByte(start + 3) == '-') {
            last = false;
        } else {
            throw fail("bad separator after reply code " + lineCode);
        }
        if (code < 0) {
            code = lineCode;
            lines = new ArrayList<>(last ? 1 : 8);
        } else if (code != lineCode) {
            throw fail("reply code changed from " + code + " to " + lineCode + " inside one reply");
        }
        if (lines.size() == MAX_LINES) {
            throw fail("reply longer than " + MAX_LINES + " lines");
        }
        lines.add(length > 4 ? in.toString(start + 4, length - 4, StandardCharsets.UTF_8) : "");
        if (!last) {
            return null;
        }
        SmtpReply reply = SmtpReply.of(code, lines.size() == 1 && lines.get(0).isEmpty() ? List.of() : lines);
        code = -1;
        lines = null;
        return reply;
    }

    private static int digit(ByteBuf in, int index, char min, char max) {
        byte b = in.getByte(index);
        if (b < min || b > max) {
            throw fail("bad reply code");
        }
        return b - '0';
    }

    /** Bytes received and not yet framed: after a STARTTLS 220 this must be zero (CVE-2011-0411 in reverse). */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    private static DecoderException fail(String why) {
        return new DecoderException(why);
    }
}
