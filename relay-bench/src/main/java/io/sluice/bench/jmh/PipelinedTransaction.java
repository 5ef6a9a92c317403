package io.sluice.bench.jmh;

import java.nio.charset.StandardCharsets;

/**
 * The client side of one realistic pipelined SMTP transaction, as wire bytes, plus the message text a correct
 * server decoder must store for it. Input of {@link SmtpDecoderBenchmark}.
 *
 * <p>Wire: {@code EHLO}, {@code MAIL FROM} (with SIZE and BODY parameters), {@code RCPT TO}, {@code DATA}, a message
 * of about {@code bodyBytes} (typical headers, then 72-column text lines, every 16th line starting with a dot and so
 * dot-stuffed on the wire), the {@code <CRLF>.<CRLF>} terminator, and {@code RSET}. All lines end in CRLF. The
 * stored text is the message with the stuffing removed, CRLF line endings kept.
 *
 * <p>Immutable; built once per benchmark trial (allocates freely). Limits: {@code bodyBytes} from 1 KiB up.
 */
final class PipelinedTransaction {
    /** Text line length before CRLF, the width mail clients wrap plain text at. */
    private static final int LINE_COLUMNS = 72;
    /** One line in this many starts with a dot (".signature", "...", a leading period in prose). */
    private static final int DOT_LINE_EVERY = 16;

    private final byte[] wire;
    private final byte[] storedText;
    private final int dotStuffedLines;

    private PipelinedTransaction(byte[] wire, byte[] storedText, int dotStuffedLines) {
        this.wire = wire;
        this.storedText = storedText;
        this.dotStuffedLines = dotStuffedLines;
    }

    /** Builds the transaction with a message of roughly {@code bodyBytes} octets (headers included). */
    static PipelinedTransaction of(int bodyBytes) {
        if (bodyBytes < 1024) {
            throw new IllegalArgumentException("body must be at least 1 KiB, got " + bodyBytes);
        }
        StringBuilder text = new StringBuilder(bodyBytes + 256);
        text.append("Return-Path: <orders@shop.example>\r\n")
            .append("From: \"Shop Orders\" <orders@shop.example>\r\n")
            .append("To: <alice@customer.example>\r\n")
            .append("Subject: Your order 4711 has shipped\r\n")
            .append("Date: Tue, 14 Apr 2026 10:15:00 +0000\r\n")
            .append("Message-ID: <4711.1776161700@shop.example>\r\n")
            .append("MIME-Version: 1.0\r\n")
            .append("Content-Type: text/plain; charset=us-ascii\r\n")
            .append("Content-Transfer-Encoding: 7bit\r\n")
            .append("\r\n");
        int lineNo = 0;
        int dotLines = 0;
        while (text.length() + LINE_COLUMNS + 2 <= bodyBytes) {
            lineNo++;
            StringBuilder line = new StringBuilder(LINE_COLUMNS);
            if (lineNo % DOT_LINE_EVERY == 0) {
                line.append('.');
                dotLines++;
            }
            line.append("Line ").append(lineNo).append(": the quick brown fox jumps over the lazy dog");
            while (line.length() < LINE_COLUMNS) {
                line.append(line.length() % 7 == 0 ? ' ' : (char) ('a' + line.length() % 26));
            }
            text.append(line).append("\r\n");
        }
        String stored = text.toString();
        // On the wire every line that starts with a dot gets one more (RFC 5321 4.5.2).
        String stuffed = stored.replace("\r\n.", "\r\n..");
        String wireText = "EHLO client.shop.example\r\n"
            + "MAIL FROM:<orders@shop.example> SIZE=" + stored.length() + " BODY=8BITMIME\r\n"
            + "RCPT TO:<alice@customer.example>\r\n"
            + "DATA\r\n"
            + stuffed
            + ".\r\n"
            + "RSET\r\n";
        return new PipelinedTransaction(wireText.getBytes(StandardCharsets.US_ASCII),
            stored.getBytes(StandardCharsets.US_ASCII), dotLines);
    }

    /** The client's bytes for the whole transaction. */
    byte[] wire() {
        return wire.clone();
    }

    /** The message text the decoder must store: unstuffed, CRLF endings, without the terminator. */
    byte[] storedText() {
        return storedText.clone();
    }

    /** Command lines the decoder must fire per transaction: EHLO, MAIL, RCPT, DATA, RSET. */
    int commandLines() {
        return 5;
    }

    int dotStuffedLines() {
        return dotStuffedLines;
    }
}
