package io.sluice.smtp.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strict decoding of a client's SASL response: base64 (RFC 4648 alphabet, padding optional, no whitespace) and then
 * UTF-8 (malformed or unmappable sequences rejected, never replaced).
 *
 * <p>Limits: a response longer than {@link #MAX_RESPONSE_CHARS} is refused before decoding, so a hostile client
 * cannot make us allocate more than ~3 KB per step. Failures are signalled by {@code null} and mapped by the
 * mechanisms to {@link AuthReply#CANNOT_DECODE}. Stateless and thread-safe (a new {@link CharsetDecoder} per call).
 */
final class SaslResponseDecoder {

    /** Longest base64 response accepted, in characters (3 KB decoded: user name plus password plus separators). */
    static final int MAX_RESPONSE_CHARS = 4096;

    private SaslResponseDecoder() {
    }

    /** The decoded bytes, or {@code null} when {@code text} is too long or not base64. {@code "="} is empty. */
    static byte[] base64(String text) {
        if (text.length() > MAX_RESPONSE_CHARS) {
            return null;
        }
        if (text.equals("=")) {
            // RFC 4954 section 4: a lone "=" is a zero-length response.
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code bytes[from, to)} as a String, or {@code null} if not valid UTF-8. */
    static String utf8String(byte[] bytes, int from, int to) {
        char[] chars = utf8Chars(bytes, from, to);
        if (chars == null) {
            return null;
        }
        return new String(chars);
    }

    /**
     * {@code bytes[from, to)} as a fresh char array, or {@code null} if not valid UTF-8. Intermediate buffers are
     * zeroed, because this is also used for passwords.
     */
    static char[] utf8Chars(byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer decoded;
        try {
            decoded = decoder.decode(ByteBuffer.wrap(bytes, from, to - from));
        } catch (CharacterCodingException e) {
            return null;
        }
        char[] result = Arrays.copyOfRange(decoded.array(), decoded.arrayOffset(),
                decoded.arrayOffset() + decoded.remaining());
        Arrays.fill(decoded.array(), '\0');
        return result;
    }
}
