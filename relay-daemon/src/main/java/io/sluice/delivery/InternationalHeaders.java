package io.sluice.delivery;

import io.netty.buffer.ByteBuf;

/**
 * Whether a stored message's header section carries UTF-8 (RFC 6532 internationalized headers): any octet above
 * 0x7f before the first empty line (CRLF CRLF), or anywhere when there is none. Such a message, sent by a client
 * that declared {@code SMTPUTF8}, can only go to a next hop that offers SMTPUTF8 (RFC 6531 3.2); octets in the body
 * alone need only 8BITMIME. Pure; thread-safe; reads the buffer without moving its indexes.
 */
final class InternationalHeaders {
    private InternationalHeaders() {
    }

    /** True when the header section of {@code message} (from its reader index) has a non-ASCII octet. */
    static boolean present(ByteBuf message) {
        int end = message.writerIndex();
        int start = message.readerIndex();
        int lineStart = start;
        for (int i = start; i < end; i++) {
            byte b = message.getByte(i);
            if (b < 0) {
                return true;
            }
            if (b == '\n' && i > start && message.getByte(i - 1) == '\r') {
                if (i - 1 == lineStart) {
                    return false; // the empty line: the header section ended
                }
                lineStart = i + 1;
            }
        }
        return false;
    }
}
