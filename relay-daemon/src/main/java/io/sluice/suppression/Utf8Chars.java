package io.sluice.suppression;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} decoded from UTF-8 bytes in a buffer: ASCII (nearly every address) byte by byte
 * into its own array, anything else through a reused decoder (malformed input becomes U+FFFD). Lets the log replay
 * hash ten million addresses without making a String of each. Single-threaded.
 */
final class Utf8Chars implements CharSequence {
    private char[] chars = new char[64];
    private int length;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);

    /** Decodes {@code count} bytes at {@code offset} of {@code buf} (absolute; the buffer is not moved). */
    void decode(ByteBuffer buf, int offset, int count) {
        if (chars.length < count) {
            chars = new char[Math.max(count, chars.length * 2)];
        }
        boolean ascii = true;
        for (int i = 0; i < count; i++) {
            byte b = buf.get(offset + i);
            if (b < 0) {
                ascii = false;
                break;
            }
            chars[i] = (char) b;
        }
        if (ascii) {
            length = count;
            return;
        }
        ByteBuffer in = buf.duplicate();
        in.position(offset).limit(offset + count);
        CharBuffer out = CharBuffer.wrap(chars);
        decoder.reset();
        decoder.decode(in, out, true);
        decoder.flush(out);
        length = out.position();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
