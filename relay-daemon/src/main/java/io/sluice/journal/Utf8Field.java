package io.sluice.journal;

import java.nio.charset.StandardCharsets;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The journal's string encoding: a little-endian u16 byte length followed by that many bytes of UTF-8.
 *
 * <p>Encoding walks the chars directly into the destination, so the append path allocates nothing. An unpaired
 * surrogate is written as {@code '?'}, as {@link String#getBytes} does. Decoding allocates the String (readers only:
 * recovery, dump, delivery). Stateless, thread-safe.
 */
final class Utf8Field {
    /** Bytes of the length prefix. */
    static final int LENGTH_PREFIX = 2;
    /** Longest encodable string, in UTF-8 bytes. */
    static final int MAX_BYTES = 0xFFFF;

    private Utf8Field() {
    }

    /** UTF-8 length of {@code s} (null counts as empty; a lone surrogate counts as the one byte of '?'). */
    static int utf8Length(CharSequence s) {
        return CappedUtf8.length(s, Integer.MAX_VALUE);
    }

    /** UTF-8 length of {@code s}, or throws {@link IllegalArgumentException} naming {@code what} if too long. */
    static int checkedLength(CharSequence s, String what) {
        int n = utf8Length(s);
        if (n > MAX_BYTES) {
            throw new IllegalArgumentException(what + " is " + n + " UTF-8 bytes; the journal limit is " + MAX_BYTES);
        }
        return n;
    }

    /** Writes prefix and UTF-8 of {@code s}, whose UTF-8 length the caller computed as {@code utf8Length}. */
    static void write(Bytes<?> out, CharSequence s, int utf8Length) {
        out.writeUnsignedShort(utf8Length);
        if (s == null) {
            return;
        }
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.writeByte((byte) c);
            } else if (c < 0x800) {
                out.writeByte((byte) (0xC0 | (c >> 6)));
                out.writeByte((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.writeByte((byte) (0xF0 | (cp >> 18)));
                out.writeByte((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.writeByte((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.writeByte((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                out.writeByte((byte) '?');
            } else {
                out.writeByte((byte) (0xE0 | (c >> 12)));
                out.writeByte((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.writeByte((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    /** Reads one prefixed string at the read position and advances past it. */
    static String read(Bytes<?> in) {
        int n = in.readUnsignedShort();
        if (n == 0) {
            return "";
        }
        byte[] buf = new byte[n];
        int got = in.read(buf, 0, n);
        if (got != n) {
            throw new JournalFormatException("string of " + n + " bytes runs past the end of its record");
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    /** Reads a little-endian u16 from a byte array. */
    static int u16(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
    }
}
