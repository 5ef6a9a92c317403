package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One message transaction to send on an {@link OutboundConnection}.
 *
 * <p>Body: a Netty {@link ByteBuf} holding the stored message bytes (not dot-stuffed, CRLF line ends) between its
 * reader and writer index. A ByteBuf rather than a {@code java.nio.ByteBuffer} because the text is written as
 * retained slices of it with no copy. The caller owns it: the connection never changes its indices and never
 * releases the caller's reference; it holds its own reference (a retained slice) while the text is being written,
 * so the caller may release its reference once the {@code send} future has completed. Prefer a direct (pooled)
 * buffer: a heap buffer is copied to direct memory by the transport.
 *
 * @param sender        envelope sender, {@code ""} for the null reverse-path {@code <>}
 * @param recipients    envelope recipients, one domain's, at most {@code delivery.max_recipients_per_transaction}
 * @param body          the message bytes, see above
 * @param needsSmtpUtf8 the message needs SMTPUTF8 (RFC 6531): its client declared it and its header section has
 *                      UTF-8; also implied by a non-ASCII envelope local part ({@link #requiresSmtpUtf8()})
 * @param eightBit      the body has 8-bit content; {@code BODY=8BITMIME} is declared when the next hop offers it,
 *                      otherwise it is sent as-is (as Postfix does by default)
 * @param size          size in bytes declared in {@code SIZE=} and checked against the next hop's limit; normally
 *                      {@code body.readableBytes()} ({@link #of})
 */
public record OutboundMessage(String sender, List<String> recipients, ByteBuf body, boolean needsSmtpUtf8,
                              boolean eightBit, long size) {

    public OutboundMessage {
        checkAddress(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        for (String r : recipients) {
            checkAddress(r, "recipient");
            if (r.isEmpty()) {
                throw new IllegalArgumentException("empty recipient");
            }
        }
        if (body == null) {
            throw new IllegalArgumentException("no body");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    /** A message whose declared size is the body's readable bytes. */
    public static OutboundMessage of(String sender, List<String> recipients, ByteBuf body, boolean needsSmtpUtf8,
                                     boolean eightBit) {
        return new OutboundMessage(sender, recipients, body, needsSmtpUtf8, eightBit, body.readableBytes());
    }

    /**
     * The message cannot go to a next hop without SMTPUTF8: flagged, or a non-ASCII local part in an envelope
     * address (RFC 6531 3.2). A non-ASCII domain alone does not count: it can be sent as its A-labels.
     */
    public boolean requiresSmtpUtf8() {
        if (needsSmtpUtf8 || !isAscii(sender, localPartEnd(sender))) {
            return true;
        }
        for (String r : recipients) {
            if (!isAscii(r, localPartEnd(r))) {
                return true;
            }
        }
        return false;
    }

    /** Any envelope address has non-ASCII (local part or domain): MAIL declares SMTPUTF8 when the next hop offers it. */
    public boolean hasNonAsciiAddress() {
        if (!isAscii(sender, sender.length())) {
            return true;
        }
        for (String r : recipients) {
            if (!isAscii(r, r.length())) {
                return true;
            }
        }
        return false;
    }

    private static int localPartEnd(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address.length() : at;
    }

    private static boolean isAscii(String s, int end) {
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Control characters (CR, LF, NUL, ...) and angle brackets would let an address inject commands. */
    private static void checkAddress(String address, String what) {
        if (address == null) {
            throw new IllegalArgumentException("no " + what);
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>') {
                throw new IllegalArgumentException(what + " contains a forbidden character: " + address);
            }
        }
    }
}
