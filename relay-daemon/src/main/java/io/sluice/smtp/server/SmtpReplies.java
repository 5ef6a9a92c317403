package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Fixed ingress replies, each with its enhanced status code (RFC 3463, RFC 2034), kept as shared read-only buffers
 * so the common replies cost no allocation beyond a duplicate. Wording follows Postfix where it has a reply for the
 * same case, so operators recognise it.
 */
final class SmtpReplies {
    static final ByteBuf MAIL_OK = fixed("250 2.1.0 Ok");
    static final ByteBuf RCPT_OK = fixed("250 2.1.5 Ok");
    static final ByteBuf OK = fixed("250 2.0.0 Ok");
    static final ByteBuf START_DATA = fixed("354 End data with <CR><LF>.<CR><LF>");
    static final ByteBuf BYE = fixed("221 2.0.0 Bye");
    static final ByteBuf VRFY = fixed("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
    /** HELP lists what this session is offered now, as EHLO does: index {@code (starttls ? 2 : 0) + (auth ? 1 : 0)}. */
    private static final ByteBuf[] HELP = {
        fixed("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"),
        fixed("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP AUTH"),
        fixed("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS"),
        fixed("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS AUTH"),
    };
    static final ByteBuf READY_TLS = fixed("220 2.0.0 Ready to start TLS");

    static final ByteBuf NEED_HELO = fixed("503 5.5.1 Error: send HELO/EHLO first");
    static final ByteBuf NESTED_MAIL = fixed("503 5.5.1 Error: nested MAIL command");
    static final ByteBuf NEED_MAIL = fixed("503 5.5.1 Error: need MAIL command");
    static final ByteBuf NEED_RCPT = fixed("503 5.5.1 Error: need RCPT command");
    static final ByteBuf NO_VALID_RCPT = fixed("554 5.5.1 Error: no valid recipients");
    static final ByteBuf TLS_ACTIVE = fixed("503 5.5.1 Error: TLS already active");
    static final ByteBuf TLS_UNAVAILABLE = fixed("502 5.5.1 Error: command not implemented");
    static final ByteBuf NOT_IMPLEMENTED = fixed("502 5.5.1 Error: command not implemented");
    static final ByteBuf UNKNOWN = fixed("500 5.5.2 Error: command not recognized");
    static final ByteBuf LINE_TOO_LONG = fixed("500 5.5.2 Error: command line too long");
    static final ByteBuf BARE_LINE_ENDING = fixed("500 5.5.2 Error: bare <CR> or <LF> received");
    static final ByteBuf NUL = fixed("500 5.5.2 Error: NUL character received");
    static final ByteBuf HELO_SYNTAX = fixed("501 5.5.4 Syntax: EHLO hostname");
    static final ByteBuf NO_ARGUMENT = fixed("501 5.5.4 Syntax: command takes no argument");
    static final ByteBuf TOO_MANY_RECIPIENTS = fixed("452 4.5.3 Error: too many recipients");
    static final ByteBuf BAD_UTF8_SENDER = fixed("553 5.1.7 Bad sender address syntax: malformed UTF-8");
    static final ByteBuf BAD_UTF8_RECIPIENT = fixed("553 5.1.3 Bad recipient address syntax: malformed UTF-8");
    static final ByteBuf BAD_IDN_SENDER =
            fixed("553 5.1.7 Bad sender address syntax: invalid international domain name (IDNA 2008)");
    static final ByteBuf BAD_IDN_RECIPIENT =
            fixed("553 5.1.3 Bad recipient address syntax: invalid international domain name (IDNA 2008)");
    static final ByteBuf NO_POSTMASTER = fixed("550 5.1.1 <postmaster>: Recipient address rejected: no postmaster"
            + " address is configured (smtp.postmaster_address)");
    static final ByteBuf NON_ASCII = fixed("553 5.6.7 Error: non-ASCII address needs SMTPUTF8");

    static final ByteBuf MESSAGE_TOO_BIG = fixed("552 5.3.4 Error: message file too big");
    static final ByteBuf SIZE_TOO_BIG = fixed("552 5.3.4 Error: message size exceeds fixed limit");
    static final ByteBuf TEXT_LINE_TOO_LONG = fixed("554 5.6.0 Error: message has a line longer than the limit");
    static final ByteBuf DATA_BARE_LINE_ENDING = fixed("550 5.6.0 Error: bare <CR> or <LF> in message text");
    static final ByteBuf DATA_NUL = fixed("554 5.6.0 Error: NUL character in message text");
    static final ByteBuf TOO_MANY_HOPS = fixed("554 5.4.6 Error: too many hops");

    static final ByteBuf QUEUE_WRITE_ERROR = fixed("451 4.3.0 Error: queue file write error");
    static final ByteBuf INSUFFICIENT_STORAGE = fixed("452 4.3.1 Insufficient system storage");
    static final ByteBuf QUOTA_RATE = fixed("452 4.7.1 Sending rate of this account exceeded (quotas max_rate),"
            + " try again later");
    static final ByteBuf QUOTA_QUEUED = fixed("452 4.7.1 Too many recipients of this account waiting for delivery"
            + " (quotas max_queued), try again later");

    static final ByteBuf SHUTTING_DOWN = fixed("421 4.3.2 Service shutting down, closing transmission channel");
    static final ByteBuf TOO_MANY_CONNECTIONS = fixed("421 4.7.0 Error: too many connections");
    static final ByteBuf TOO_MANY_CONNECTIONS_FROM_IP = fixed("421 4.7.0 Error: too many connections from your address");
    static final ByteBuf TOO_MANY_ERRORS = fixed("421 4.7.0 Error: too many errors");
    static final ByteBuf TIMEOUT = fixed("421 4.4.2 Error: timeout exceeded");
    static final ByteBuf COMMAND_DEADLINE =
            fixed("421 4.4.2 Error: timeout exceeded: command not complete within smtp.command_timeout");
    static final ByteBuf DATA_DEADLINE =
            fixed("421 4.4.2 Error: timeout exceeded: message not complete within smtp.data_deadline");
    static final ByteBuf DATA_RATE =
            fixed("421 4.4.2 Error: timeout exceeded: message text slower than smtp.min_data_rate");
    static final ByteBuf STALLED_EVICTED = fixed("421 4.7.0 Error: too many connections, closing a stalled session");

    private SmtpReplies() {
    }

    /** The HELP reply naming STARTTLS and AUTH only when the session is offered them (shared, no allocation). */
    static ByteBuf help(boolean startTls, boolean auth) {
        return HELP[(startTls ? 2 : 0) + (auth ? 1 : 0)];
    }

    private static ByteBuf fixed(String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    /** A one-off reply line (CRLF appended). */
    static ByteBuf text(String line) {
        return Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8);
    }

    /**
     * The refusal of a message with a text line over the enforced limit, naming the limit in octets (without the
     * CRLF, as RFC 5321 4.5.3.1.6 counts 998 characters) and the key that sets it, so the sender can fix the
     * message (wrap the lines or use a MIME transfer encoding) or the operator the policy. Built per refusal: rare.
     */
    static ByteBuf lineTooLong(io.sluice.config.SmtpSettings limits) {
        int limit = limits.enforcedTextLineOctets() - 2;
        return text(limits.longLines() == io.sluice.config.SmtpSettings.LongLinesPolicy.ACCEPT
                ? "554 5.6.0 Error: message has a line longer than " + limit
                        + " octets, the hard cap with smtp.long_lines: accept"
                : "554 5.6.0 Error: message has a line longer than " + limit + " octets (smtp.max_text_line, RFC 5321"
                        + " 4.5.3.1.6); wrap it or use quoted-printable/base64, or set smtp.long_lines: accept");
    }

    /** The refusal for message text that did not complete cleanly. */
    static ByteBuf forDataResult(io.sluice.smtp.codec.DataResult result) {
        switch (result) {
            case TOO_BIG:
                return MESSAGE_TOO_BIG;
            case LINE_TOO_LONG:
                return TEXT_LINE_TOO_LONG;
            case BARE_LINE_ENDING:
                return DATA_BARE_LINE_ENDING;
            case NUL:
                return DATA_NUL;
            default:
                throw new IllegalArgumentException("not a refusal: " + result);
        }
    }

    /** The status code of a reply buffer. */
    static int code(ByteBuf reply) {
        int i = reply.readerIndex();
        return (reply.getByte(i) - '0') * 100 + (reply.getByte(i + 1) - '0') * 10 + (reply.getByte(i + 2) - '0');
    }
}
