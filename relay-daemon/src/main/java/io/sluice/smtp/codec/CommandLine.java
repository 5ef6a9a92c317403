package io.sluice.smtp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/**
 * One decoded command line, as a flyweight over the decoder's input buffer.
 *
 * <p>Contract: the decoder owns one instance per connection and reuses it for every line, so a handler must read
 * what it needs during {@code channelRead} and must not keep the object. The bytes stay valid only for that call.
 * {@link #status()} says whether the line is usable; for anything but {@link Status#OK} the verb and argument are
 * meaningless and the line has already been discarded.
 */
public final class CommandLine {

    /** Why a line could not be used as a command. */
    public enum Status {
        OK,
        /** Longer than the command line limit (CRLF included); discarded up to its LF. */
        TOO_LONG,
        /** Ended by LF without CR, or contained a CR not followed by LF. */
        BARE_LINE_ENDING,
        /** Contained a NUL octet. */
        NUL
    }

    private Status status = Status.OK;
    private SmtpVerb verb = SmtpVerb.UNKNOWN;
    private ByteBuf buffer;
    private int lineIndex;
    private int contentLength;
    private int argumentIndex;
    private int argumentLength;
    private int lineLength;

    void set(SmtpVerb verb, ByteBuf buffer, int lineIndex, int contentLength, int argumentIndex, int argumentLength,
            int lineLength) {
        this.status = Status.OK;
        this.lineIndex = lineIndex;
        this.contentLength = contentLength;
        this.verb = verb;
        this.buffer = buffer;
        this.argumentIndex = argumentIndex;
        this.argumentLength = argumentLength;
        this.lineLength = lineLength;
    }

    void setError(Status status, int lineLength) {
        this.status = status;
        this.verb = SmtpVerb.UNKNOWN;
        this.buffer = null;
        this.argumentIndex = 0;
        this.argumentLength = 0;
        this.lineLength = lineLength;
    }

    public Status status() {
        return status;
    }

    public SmtpVerb verb() {
        return verb;
    }

    /** Octets of the line as received, CRLF included. */
    public int lineLength() {
        return lineLength;
    }

    /** Length of the text after the verb and its separating space(s), trailing spaces removed. */
    public int argumentLength() {
        return argumentLength;
    }

    /** The argument decoded with {@code charset} (allocates; call only for commands that need it). */
    public String argument(Charset charset) {
        return argumentLength == 0 ? "" : buffer.toString(argumentIndex, argumentLength, charset);
    }

    /**
     * The whole line without its CRLF, e.g. a base64 SASL response, which has no verb (allocates).
     */
    public String text(Charset charset) {
        return status == Status.OK ? buffer.toString(lineIndex, contentLength, charset) : "";
    }

    /** True when any argument octet is outside US-ASCII. */
    public boolean argumentHasNonAscii() {
        for (int i = 0; i < argumentLength; i++) {
            if (buffer.getByte(argumentIndex + i) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the argument is well-formed UTF-8 (RFC 3629): no stray continuation octets, no truncated sequence,
     * no overlong form, no surrogate (U+D800..U+DFFF) and nothing above U+10FFFF. Checked on the octets, because a
     * decoder would silently turn a malformed sequence into U+FFFD, i.e. into an address the client never sent.
     * Allocation-free.
     */
    public boolean argumentIsWellFormedUtf8() {
        int end = argumentIndex + argumentLength;
        int i = argumentIndex;
        while (i < end) {
            int b = buffer.getByte(i) & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                extra = 2;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false; // a continuation octet first, 0xc0/0xc1 (always overlong) or 0xf5..0xff
            }
            if (i + extra >= end) { // truncated at the end of the argument
                return false;
            }
            int cp = b & (0x3f >> extra);
            for (int k = 1; k <= extra; k++) {
                int c = buffer.getByte(i + k) & 0xff;
                if ((c & 0xc0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return status == Status.OK ? verb + " " + argument(java.nio.charset.StandardCharsets.ISO_8859_1) : status.name();
    }
}
