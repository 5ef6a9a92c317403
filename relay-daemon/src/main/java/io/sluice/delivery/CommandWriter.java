package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Appends SMTP client command lines (RFC 5321 4.1.1) to a buffer, so that a pipelined batch (MAIL, every RCPT,
 * DATA) becomes one buffer and one flush.
 *
 * <p>Addresses are written as UTF-8: with SMTPUTF8 (RFC 6531) mailbox local parts may be non-ASCII, which is why
 * netty-codec-smtp's {@code SmtpRequestEncoder} (US-ASCII only) is not used. Callers pass addresses already checked
 * by {@link OutboundMessage} (no CR, LF or other control characters), so no command can be injected.
 *
 * <p>Stateless; any thread.
 */
final class CommandWriter {
    private static final byte[] CRLF = bytes("\r\n");
    private static final byte[] EHLO = bytes("EHLO ");
    private static final byte[] HELO = bytes("HELO ");
    private static final byte[] STARTTLS = bytes("STARTTLS\r\n");
    private static final byte[] MAIL_FROM = bytes("MAIL FROM:<");
    private static final byte[] RCPT_TO = bytes("RCPT TO:<");
    private static final byte[] SIZE = bytes(" SIZE=");
    private static final byte[] BODY_8BITMIME = bytes(" BODY=8BITMIME");
    private static final byte[] SMTPUTF8 = bytes(" SMTPUTF8");
    private static final byte[] DATA = bytes("DATA\r\n");
    private static final byte[] RSET = bytes("RSET\r\n");
    private static final byte[] QUIT = bytes("QUIT\r\n");
    /** End of an empty message: after a pipelined DATA got 354 although no recipient was accepted (RFC 2920 3.1). */
    private static final byte[] DOT = bytes(".\r\n");

    private CommandWriter() {
    }

    static void ehlo(ByteBuf out, String name) {
        out.writeBytes(EHLO);
        ByteBufUtil.writeUtf8(out, name);
        out.writeBytes(CRLF);
    }

    static void helo(ByteBuf out, String name) {
        out.writeBytes(HELO);
        ByteBufUtil.writeUtf8(out, name);
        out.writeBytes(CRLF);
    }

    /** One line of an AUTH exchange (RFC 4954), e.g. {@code AUTH PLAIN <base64>} or a base64 response. */
    static void authLine(ByteBuf out, String line) {
        ByteBufUtil.writeAscii(out, line);
        out.writeBytes(CRLF);
    }

    static void startTls(ByteBuf out) {
        out.writeBytes(STARTTLS);
    }

    /**
     * {@code MAIL FROM:<sender>} with the parameters the next hop advertised: {@code SIZE=} (RFC 1870) when
     * {@code size >= 0}, {@code BODY=8BITMIME} (RFC 6152), {@code SMTPUTF8} (RFC 6531).
     */
    static void mailFrom(ByteBuf out, String sender, long size, boolean body8BitMime, boolean smtpUtf8) {
        out.writeBytes(MAIL_FROM);
        ByteBufUtil.writeUtf8(out, sender);
        out.writeByte('>');
        if (size >= 0) {
            out.writeBytes(SIZE);
            ByteBufUtil.writeAscii(out, Long.toString(size));
        }
        if (body8BitMime) {
            out.writeBytes(BODY_8BITMIME);
        }
        if (smtpUtf8) {
            out.writeBytes(SMTPUTF8);
        }
        out.writeBytes(CRLF);
    }

    static void rcptTo(ByteBuf out, String recipient) {
        out.writeBytes(RCPT_TO);
        ByteBufUtil.writeUtf8(out, recipient);
        out.writeByte('>');
        out.writeBytes(CRLF);
    }

    static void data(ByteBuf out) {
        out.writeBytes(DATA);
    }

    static void rset(ByteBuf out) {
        out.writeBytes(RSET);
    }

    static void quit(ByteBuf out) {
        out.writeBytes(QUIT);
    }

    static void emptyMessageEnd(ByteBuf out) {
        out.writeBytes(DOT);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
