package io.sluice.journal;

import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 encoding of a string cut to a byte budget at a character boundary, straight into an Agrona buffer (the
 * outcome ring buffer), so offering a DEFERRED allocates nothing. Unpaired surrogates become {@code '?'}, as in
 * {@link Utf8Field}. {@link #length} and {@link #write} agree for the same string and budget. Stateless.
 */
final class CappedUtf8 {
    private CappedUtf8() {
    }

    /** Bytes {@link #write} produces for {@code s} (null counts as empty) within {@code maxBytes}. */
    static int length(CharSequence s, int maxBytes) {
        return encode(s, maxBytes, null, 0);
    }

    /** Writes the capped UTF-8 of {@code s} at {@code offset}; returns the bytes written. */
    static int write(CharSequence s, int maxBytes, MutableDirectBuffer out, int offset) {
        return encode(s, maxBytes, out, offset);
    }

    private static int encode(CharSequence s, int maxBytes, MutableDirectBuffer out, int offset) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            int cp;
            int size;
            if (c < 0x80) {
                cp = c;
                size = 1;
            } else if (c < 0x800) {
                cp = c;
                size = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(i + 1));
                size = 4;
            } else if (Character.isSurrogate(c)) {
                cp = '?';
                size = 1;
            } else {
                cp = c;
                size = 3;
            }
            if (n + size > maxBytes) {
                return n;
            }
            if (out != null) {
                put(out, offset + n, cp, size);
            }
            n += size;
            if (size == 4) {
                i++;
            }
        }
        return n;
    }

    private static void put(MutableDirectBuffer out, int at, int cp, int size) {
        switch (size) {
            case 1 -> out.putByte(at, (byte) cp);
            case 2 -> {
                out.putByte(at, (byte) (0xC0 | (cp >> 6)));
                out.putByte(at + 1, (byte) (0x80 | (cp & 0x3F)));
            }
            case 3 -> {
                out.putByte(at, (byte) (0xE0 | (cp >> 12)));
                out.putByte(at + 1, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.putByte(at + 2, (byte) (0x80 | (cp & 0x3F)));
            }
            default -> {
                out.putByte(at, (byte) (0xF0 | (cp >> 18)));
                out.putByte(at + 1, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.putByte(at + 2, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.putByte(at + 3, (byte) (0x80 | (cp & 0x3F)));
            }
        }
    }
}
