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

    @Override
    public String toString() {
        return status == Status.OK ? verb + " " + argument(java.nio.charset.StandardCharsets.ISO_8859_1) : status.name();
    }
}
