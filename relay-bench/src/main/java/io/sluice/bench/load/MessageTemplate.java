package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The one message every run sends: a realistic RFC 5322 text/plain message of an exact size, generated once and
 * reused for every transaction.
 *
 * <p>Layout: headers (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding),
 * a blank line, then lines of words of at most {@value #MAX_LINE} characters with CRLF ends. Some lines start with
 * "." (including a line that is exactly ".") so the server's un-stuffing is exercised. The Message-ID holds
 * {@value #MESSAGE_ID_DIGITS} hex digits at {@link #messageIdOffset()} that each transaction overwrites with its
 * message number in a private copy of the header, so ids are unique without rebuilding the message.
 *
 * <p>Size: {@link #sizeBytes()} is exactly what the server should store (un-stuffed, without the terminating
 * ".CRLF"); it equals the requested size unless that is smaller than the header (then the header alone is sent)
 * or exactly one byte more than it (then one byte more: no line fits in a single byte).
 * The text is deterministic (fixed seed) so tests can rebuild the expected bytes. Immutable after construction.
 */
public final class MessageTemplate {

    /** Longest text line, as RFC 5322 2.1.1 recommends. */
    public static final int MAX_LINE = 78;
    public static final int MESSAGE_ID_DIGITS = 16;

    private static final String[] WORDS = {
        "relay", "queue", "journal", "delivery", "message", "recipient", "sender", "envelope", "throughput",
        "latency", "the", "a", "of", "and", "to", "in", "is", "for", "on", "with", "durable", "append", "reply",
        "connection", "pipeline", "server", "client", "mailbox", "domain", "retry", "bounce", "window", "batch",
        "order", "invoice", "account", "weekly", "summary", "newsletter", "update", "please", "confirm", "your",
        "subscription", "thank", "you", "regards", "team", "report", "attached", "details", "below", "status",
    };
    /** Lines that must be stuffed on the wire; "." alone would end DATA early if it were not. */
    private static final String[] DOT_LINES = {
        ".", "..", ".leading dot on an otherwise ordinary line", "...", ". a dot and a space",
    };
    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] header;
    private final int messageIdOffset;
    private final byte[] text;
    private final byte[] wireText;

    private MessageTemplate(byte[] header, int messageIdOffset, byte[] text) {
        this.header = header;
        this.messageIdOffset = messageIdOffset;
        this.text = text;
        byte[] stuffed = DotStuffing.stuff(text);
        this.wireText = Arrays.copyOf(stuffed, stuffed.length + 3);
        wireText[stuffed.length] = '.';
        wireText[stuffed.length + 1] = '\r';
        wireText[stuffed.length + 2] = '\n';
    }

    /**
     * @param sizeBytes requested stored size in bytes
     * @param from      From header address
     * @param to        To header address
     * @param date      Date header value
     */
    public static MessageTemplate create(int sizeBytes, String from, String to, ZonedDateTime date) {
        String domain = from.substring(from.lastIndexOf('@') + 1);
        String idPrefix = "Message-ID: <";
        StringBuilder h = new StringBuilder(512)
                .append("Date: ").append(RFC5322_DATE.format(date)).append("\r\n")
                .append("From: Sluice Bench <").append(from).append(">\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Subject: sluice-bench load test message\r\n");
        int idOffset = h.length() + idPrefix.length();
        h.append(idPrefix).append("0".repeat(MESSAGE_ID_DIGITS)).append(".sluice-bench@").append(domain)
                .append(">\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n")
                .append("Content-Transfer-Encoding: 7bit\r\n")
                .append("\r\n");
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        int textBytes = Math.max(0, sizeBytes - header.length);
        if (textBytes == 1) {
            textBytes = 2; // no line fits in one byte: one empty line instead
        }
        return new MessageTemplate(header, idOffset, text(textBytes));
    }

    /** Fills exactly {@code bytes} bytes with CRLF-ended lines of at most {@link #MAX_LINE} characters. */
    private static byte[] text(int bytes) {
        Random random = new Random(5322);
        StringBuilder out = new StringBuilder(bytes);
        int lineNo = 0;
        int dotLine = 0;
        while (out.length() < bytes) {
            int remaining = bytes - out.length();
            String line = lineNo % 9 == 4 ? DOT_LINES[dotLine++ % DOT_LINES.length] : wordLine(random);
            if (remaining <= 2 * (MAX_LINE + 2)) {
                // The last line or two take an exact length; never leave a single byte, which no line can fill.
                int length = Math.min(remaining - 2, MAX_LINE);
                if (remaining - length - 2 == 1) {
                    length--;
                }
                line = fit(wordLine(random), length);
            }
            out.append(line).append("\r\n");
            lineNo++;
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String wordLine(Random random) {
        int target = 40 + random.nextInt(MAX_LINE - 40 + 1);
        StringBuilder line = new StringBuilder(MAX_LINE);
        while (true) {
            String word = WORDS[random.nextInt(WORDS.length)];
            int extra = line.length() == 0 ? word.length() : word.length() + 1;
            if (line.length() + extra > target) {
                return line.toString();
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
    }

    private static String fit(String line, int length) {
        if (line.length() >= length) {
            return line.substring(0, length);
        }
        return line + "x".repeat(length - line.length());
    }

    /** @return bytes the server should store for one message: header plus un-stuffed text */
    public int sizeBytes() {
        return header.length + text.length;
    }

    /** @return a copy of the header block, including the blank line that ends it */
    public byte[] header() {
        return header.clone();
    }

    /** @return offset in {@link #header()} of the {@value #MESSAGE_ID_DIGITS} hex digits of the Message-ID */
    public int messageIdOffset() {
        return messageIdOffset;
    }

    /** @return a copy of the dot-stuffed text followed by the terminating ".CRLF", as sent after the header */
    public byte[] wireText() {
        return wireText.clone();
    }

    /** @return the complete message as the server should store it when sent with message number {@code id} */
    public byte[] storedMessage(long id) {
        byte[] out = Arrays.copyOf(header, header.length + text.length);
        for (int i = 0; i < MESSAGE_ID_DIGITS; i++) {
            out[messageIdOffset + i] = HEX[(int) (id >>> ((MESSAGE_ID_DIGITS - 1 - i) * 4)) & 0xf];
        }
        System.arraycopy(text, 0, out, header.length, text.length);
        return out;
    }

    /**
     * Writes {@code id} as the Message-ID digits into a header copy, without allocating.
     *
     * @param headerCopy buffer holding a copy of {@link #header()} at {@code headerStart}
     */
    public void writeMessageId(ByteBuf headerCopy, int headerStart, long id) {
        int at = headerStart + messageIdOffset;
        for (int i = 0; i < MESSAGE_ID_DIGITS; i++) {
            headerCopy.setByte(at + i, HEX[(int) (id >>> ((MESSAGE_ID_DIGITS - 1 - i) * 4)) & 0xf]);
        }
    }
}
