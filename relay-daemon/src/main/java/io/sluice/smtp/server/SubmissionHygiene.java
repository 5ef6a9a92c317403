package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.util.FromDomain;
import io.sluice.util.HeaderAddress;
import io.sluice.util.IdnDomain;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns received message text into what the journal stores (docs/architecture.md "Submission hygiene"), in this order:
 * count Received headers against the hop limit (RFC 5321 6.3: refuse looping mail with 554 5.4.6); add Message-ID
 * and Date when missing (RFC 5322 3.6); honour {@code X-Sluice-*} headers as routing tags only from trusted
 * (relay-allowed or authenticated) clients, and strip them from every message; prepend our Received header
 * (RFC 5321 4.4). It also reads the header From's domain for the suppression list's {@code from-domain} scope.
 *
 * <p>Input: the text buffer from DATA, whose reader index leaves {@link #HEADROOM} free octets in front so the
 * added headers are written in place without copying the message. Only when {@code X-Sluice-*} headers must be cut
 * out, or the added headers exceed the headroom, is the message copied once. The header section ends at the first
 * empty line or the first line that is not a header field. One instance per session, on its event loop: the header
 * text is built in a reused builder and written into the buffer directly (UTF-8 through one byte array only when
 * it is not ASCII), and the header scan is reused, so a message allocates only its {@link Result} (and the tags
 * when it has {@code X-Sluice-*} fields).
 */
final class SubmissionHygiene {
    /**
     * Octets reserved in front of the DATA text for the headers added at accept: here (Received, Message-ID, Date:
     * about 350) and the DKIM signatures (about 560 for RSA-2048, 300 for Ed25519), so they go in without a copy.
     */
    static final int HEADROOM = 2048;
    private static final int MAX_SHOWN_HELO = 255;
    private static final byte[] X_SLUICE = "x-sluice-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED = "received".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_ID = "message-id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATE = "date".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FROM = "from".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIST_UNSUBSCRIBE = "list-unsubscribe".getBytes(StandardCharsets.US_ASCII);
    /** Longest From field read for its domain; a longer one (a huge group) yields none. */
    private static final int MAX_FROM_FIELD = 4096;

    private final String hostname;
    private final int hopLimit;
    private final StringBuilder header = new StringBuilder(256);
    private final HeaderScan scan = new HeaderScan();

    SubmissionHygiene(String hostname, int hopLimit) {
        this.hostname = hostname;
        this.hopLimit = hopLimit;
    }

    /** Who sent the message, for the Received header and the trust decision. */
    record Origin(String heloName, String clientIp, String protocol, boolean trusted) {
    }

    /**
     * The outcome: the text to store (null when refused), the tags, the refusal reply if any, the header From's
     * domain ({@link FromDomain}; "" when none), and whether the message brings its own {@code List-Unsubscribe}.
     */
    record Result(ByteBuf text, Map<String, String> tags, ByteBuf refusal, String fromDomain,
                  boolean hasListUnsubscribe) {
    }

    /**
     * Applies the rules to {@code text}, which this method owns from now on: it is either returned (possibly
     * replaced by a copy, the original released) or released when the message is refused. {@code nowMillis} dates
     * the Received header (and the Date header when one is added).
     */
    Result apply(ByteBuf text, String messageId, Origin origin, String singleRecipient, long nowMillis,
            ByteBufAllocator alloc) {
        HeaderScan scan = this.scan.reset();
        scan(text, scan);
        if (scan.received >= hopLimit) {
            text.release();
            return new Result(null, Map.of(), SmtpReplies.TOO_MANY_HOPS.duplicate(), "", false);
        }
        Map<String, String> tags = origin.trusted() ? scan.tags : Map.of();
        String fromDomain = scan.fromStart < 0 || scan.fromEnd - scan.fromStart > MAX_FROM_FIELD ? ""
                : FromDomain.of(text.toString(scan.fromStart, scan.fromEnd - scan.fromStart, StandardCharsets.UTF_8));
        StringBuilder prefix = prefix(messageId, origin, singleRecipient, nowMillis, scan);
        // ASCII (the usual case) is written char by char; otherwise (an SMTPUTF8 recipient) encoded once
        byte[] utf8 = isAscii(prefix) ? null : prefix.toString().getBytes(StandardCharsets.UTF_8);
        int prefixLength = utf8 == null ? prefix.length() : utf8.length;
        if (scan.stripCount == 0 && prefixLength <= text.readerIndex()) {
            int start = text.readerIndex() - prefixLength;
            if (utf8 == null) {
                text.setCharSequence(start, prefix, StandardCharsets.US_ASCII);
            } else {
                text.setBytes(start, utf8);
            }
            text.readerIndex(start);
            return new Result(text, tags, null, fromDomain, scan.hasListUnsubscribe);
        }
        ByteBuf copy = alloc.directBuffer(prefixLength + text.readableBytes());
        if (utf8 == null) {
            copy.writeCharSequence(prefix, StandardCharsets.US_ASCII);
        } else {
            copy.writeBytes(utf8);
        }
        int pos = text.readerIndex();
        for (int i = 0; i < scan.stripCount; i++) {
            copy.writeBytes(text, pos, scan.stripStart[i] - pos);
            pos = scan.stripEnd[i];
        }
        copy.writeBytes(text, pos, text.writerIndex() - pos);
        text.release();
        return new Result(copy, tags, null, fromDomain, scan.hasListUnsubscribe);
    }

    /** The headers to add, in this instance's reused builder (valid until the next call). */
    private StringBuilder prefix(String id, Origin origin, String singleRecipient, long nowMillis, HeaderScan scan) {
        String date = HeaderDate.format(nowMillis);
        StringBuilder sb = header;
        sb.setLength(0);
        sb.append("Received: from ");
        appendPrintable(sb, origin.heloName());
        sb.append(" ([").append(origin.clientIp()).append("])\r\n\tby ").append(hostname)
                .append(" (Sluice) with ").append(origin.protocol()).append(" id ").append(id);
        if (singleRecipient != null) {
            HeaderAddress.append(sb.append("\r\n\tfor <"), traceForm(singleRecipient)).append('>');
        }
        sb.append("; ").append(date).append("\r\n");
        if (!scan.hasMessageId) {
            sb.append("Message-ID: <").append(id).append('@').append(hostname).append(">\r\n");
        }
        if (!scan.hasDate) {
            sb.append("Date: ").append(date).append("\r\n");
        }
        return sb;
    }

    /**
     * The recipient as the Received header names it: an international domain as its A-labels when the local part is
     * ASCII, so that Sluice's own trace header never makes a message need SMTPUTF8 at the next hop (RFC 6531 3.2;
     * with a non-ASCII local part it needs it anyway and the address stays as received).
     */
    private static String traceForm(String recipient) {
        if (isAscii(recipient)) {
            return recipient;
        }
        int at = recipient.lastIndexOf('@');
        if (at < 0 || !isAscii(recipient.substring(0, at))) {
            return recipient;
        }
        String ascii = IdnDomain.addressToAscii(recipient);
        return ascii == null ? recipient : ascii;
    }

    private static boolean isAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The HELO name as shown in Received: at most 255 characters, anything but visible ASCII and parentheses as ?. */
    private static void appendPrintable(StringBuilder sb, String helo) {
        int shown = Math.min(helo.length(), MAX_SHOWN_HELO);
        for (int i = 0; i < shown; i++) {
            char c = helo.charAt(i);
            sb.append(c > ' ' && c < 0x7f && c != '(' && c != ')' ? c : '?');
        }
    }

    /** What the header section holds; one per instance, reset for each message. */
    private static final class HeaderScan {
        int received;
        boolean hasMessageId;
        boolean hasDate;
        boolean hasListUnsubscribe;
        /** The first From field's value (after the colon) up to the next field, or -1. */
        int fromStart;
        int fromEnd;
        int[] stripStart = new int[0];
        int[] stripEnd = new int[0];
        int stripCount;
        Map<String, String> tags = Map.of();

        HeaderScan reset() {
            received = 0;
            hasMessageId = false;
            hasDate = false;
            hasListUnsubscribe = false;
            fromStart = -1;
            fromEnd = -1;
            stripCount = 0;
            tags = Map.of();
            return this;
        }

        void strip(int start, int end) {
            if (stripCount == stripStart.length) {
                stripStart = java.util.Arrays.copyOf(stripStart, stripCount * 2 + 2);
                stripEnd = java.util.Arrays.copyOf(stripEnd, stripCount * 2 + 2);
            }
            stripStart[stripCount] = start;
            stripEnd[stripCount] = end;
            stripCount++;
        }
    }

    private static void scan(ByteBuf text, HeaderScan scan) {
        int end = text.writerIndex();
        int pos = text.readerIndex();
        int stripping = -1;
        while (pos < end) {
            int lf = text.indexOf(pos, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : lf + 1;
            byte first = text.getByte(pos);
            if (first == '\r' || first == '\n') {
                break;
            }
            if (first == ' ' || first == '\t') {
                pos = lineEnd;
                continue;
            }
            if (stripping >= 0) {
                scan.strip(stripping, pos);
                stripping = -1;
            }
            if (scan.fromStart >= 0 && scan.fromEnd < 0) {
                scan.fromEnd = pos;
            }
            int nameEnd = fieldNameEnd(text, pos, lineEnd);
            if (nameEnd < 0) {
                break;
            }
            int nameLength = nameEnd - pos;
            if (nameIs(text, pos, nameLength, RECEIVED)) {
                scan.received++;
            } else if (nameIs(text, pos, nameLength, MESSAGE_ID)) {
                scan.hasMessageId = true;
            } else if (nameIs(text, pos, nameLength, DATE)) {
                scan.hasDate = true;
            } else if (nameIs(text, pos, nameLength, LIST_UNSUBSCRIBE)) {
                scan.hasListUnsubscribe = true;
            } else if (scan.fromStart < 0 && nameIs(text, pos, nameLength, FROM)) {
                scan.fromStart = text.indexOf(nameEnd, lineEnd, (byte) ':') + 1;
            } else if (nameLength > X_SLUICE.length && startsWithIgnoreCase(text, pos, X_SLUICE)) {
                stripping = pos;
            }
            pos = lineEnd;
        }
        if (stripping >= 0) {
            scan.strip(stripping, pos);
        }
        if (scan.fromStart >= 0 && scan.fromEnd < 0) {
            scan.fromEnd = pos;
        }
        if (scan.stripCount > 0) {
            scan.tags = tags(text, scan);
        }
    }

    /**
     * End (exclusive) of the field name, or -1 when the line is not a header field. A name is printable ASCII but
     * the colon (RFC 5322 2.2), followed by the colon or, in the obsolete syntax that every parser still reads
     * (RFC 5322 4.5.8, {@code field-name *WSP ":"}), by spaces or tabs and then the colon: {@code X-Sluice-Pool : x}
     * is the field {@code X-Sluice-Pool} to the next hop, so it must be matched (and stripped) as one here too.
     */
    private static int fieldNameEnd(ByteBuf text, int start, int end) {
        int nameEnd = -1;
        for (int i = start; i < end; i++) {
            byte b = text.getByte(i);
            if (b == ':') {
                return i == start ? -1 : nameEnd < 0 ? i : nameEnd;
            }
            if (b == ' ' || b == '\t') {
                if (i == start) {
                    return -1;
                }
                if (nameEnd < 0) {
                    nameEnd = i;
                }
            } else if (nameEnd >= 0 || b < ' ' || b >= 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean nameIs(ByteBuf text, int start, int length, byte[] lowerName) {
        return length == lowerName.length && startsWithIgnoreCase(text, start, lowerName);
    }

    private static boolean startsWithIgnoreCase(ByteBuf text, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int b = text.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> tags(ByteBuf text, HeaderScan scan) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < scan.stripCount; i++) {
            String field = text.toString(scan.stripStart[i], scan.stripEnd[i] - scan.stripStart[i],
                    StandardCharsets.UTF_8);
            int colon = field.indexOf(':');
            String name = field.substring(X_SLUICE.length, colon).strip().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).replaceAll("\r\n[ \t]+", " ").strip();
            tags.put(name, value);
        }
        return java.util.Collections.unmodifiableMap(tags);
    }
}
