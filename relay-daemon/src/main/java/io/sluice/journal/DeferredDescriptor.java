package io.sluice.journal;

import io.sluice.model.BounceReason;

/**
 * Layout of a DEFERRED record in {@code state/}: one recipient of one message failed temporarily (a 4xx reply or
 * connection trouble) and is due for another attempt. Mandatory after every failed attempt so that a restart keeps
 * the retry schedule; the last one per recipient wins. The writer drops a DEFERRED for a recipient that is not
 * pending, and recovery ignores one (counting it in {@link RecoveryResult#ignoredOutcomes()}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x15   |  version = 3  |        recipient index        |  0
 *  +---------------+---------------+-------------------------------+
 *  |              attempts: failed attempts so far (i32, >= 1)     |  4
 *  +---------------------------------------------------------------+
 *  |                          message id                           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  next due (epoch millis, i64)                 | 16
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |   last reply code (u16, 0 =   |     reply text length (u16)   | 24
 *  |   no reply: connection/DNS)   |                               |
 *  +-------------------------------+-------------------------------+
 *  |  last reply text: UTF-8, at most {@link #MAX_REPLY_TEXT_BYTES} bytes  ... 28
 *  +---------------+-----------------------------------------------+
 *  | MX length (u8)|  MX host: ASCII, the host that replied      ... 28 + text length (version 2)
 *  +---------------+-----------------------------------------------+
 *  | bounce reason |                                                 29 + text length + MX length (version 3)
 *  +---------------+
 * </pre>
 *
 * The reply text is cut at a character boundary to {@link #MAX_REPLY_TEXT_BYTES}; unpaired surrogates become
 * {@code '?'}. Version 2 added the MX host whose reply it was (length 0: Sluice decided it, no MX replied), so an
 * expiry DSN written after a restart still names the Remote-MTA; a version 1 record reads as length 0. Version 3
 * added the bounce reason ({@link BounceReason#code()}); older records read as {@link BounceReason#UNDEFINED}.
 */
public final class DeferredDescriptor {
    public static final int RECIPIENT_INDEX_OFFSET = 2;
    public static final int ATTEMPTS_OFFSET = 4;
    public static final int MESSAGE_ID_OFFSET = 8;
    public static final int NEXT_DUE_OFFSET = 16;
    public static final int REPLY_CODE_OFFSET = 24;
    public static final int REPLY_TEXT_LENGTH_OFFSET = 26;
    public static final int REPLY_TEXT_OFFSET = 28;
    /** Bytes of the fixed part. */
    public static final int HEADER_LENGTH = REPLY_TEXT_OFFSET;
    /** Longest reply text kept, in UTF-8 bytes: enough for a multi-line SMTP reply's gist. */
    public static final int MAX_REPLY_TEXT_BYTES = 512;
    /** Largest reply code accepted (SMTP codes are three digits). */
    public static final int MAX_REPLY_CODE = 999;
    /** Longest MX host name kept, in bytes (DNS names are at most 253). */
    public static final int MAX_MX_HOST_BYTES = 255;

    private DeferredDescriptor() {
    }

    /** The bounce reason of the DEFERRED record of {@code version} at {@code start} in {@code b}. */
    static BounceReason reason(net.openhft.chronicle.bytes.Bytes<?> b, long start, int version) {
        if (version < 3) {
            return BounceReason.UNDEFINED;
        }
        long mx = start + REPLY_TEXT_OFFSET + b.readUnsignedShort(start + REPLY_TEXT_LENGTH_OFFSET);
        if (mx >= b.readLimit()) {
            return BounceReason.UNDEFINED;
        }
        long at = mx + 1 + b.readUnsignedByte(mx);
        return at < b.readLimit() ? BounceReason.ofCode(b.readUnsignedByte(at)) : BounceReason.UNDEFINED;
    }

    /**
     * The MX host of the DEFERRED record of {@code version} at {@code start} in {@code b}, or null when it has none
     * (version 1, Sluice's own decision) or the record is cut short.
     */
    static String mxHost(net.openhft.chronicle.bytes.Bytes<?> b, long start, int version) {
        if (version < 2) {
            return null;
        }
        long at = start + REPLY_TEXT_OFFSET + b.readUnsignedShort(start + REPLY_TEXT_LENGTH_OFFSET);
        if (at >= b.readLimit()) {
            return null;
        }
        int length = b.readUnsignedByte(at);
        if (length == 0 || at + 1 + length > b.readLimit()) {
            return null;
        }
        byte[] host = new byte[length];
        b.read(at + 1, host, 0, length);
        return new String(host, java.nio.charset.StandardCharsets.UTF_8);
    }
}
