package io.sluice.bounce;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts the header section out of a stored message for a DSN's {@code text/rfc822-headers} part: everything before
 * the first empty line (CRLF CRLF), or the whole text when there is no body, capped at {@link #MAX_BYTES} at a line
 * boundary so one huge header block cannot make a huge DSN. Pure; thread-safe.
 */
public final class OriginalHeaders {
    /** Largest header section returned. */
    public static final int MAX_BYTES = 64 * 1024;

    private OriginalHeaders() {
    }

    /** The header section of {@code message} (from its position to its limit; the position is not moved). */
    public static byte[] of(ByteBuffer message) {
        int start = message.position();
        int end = Math.min(message.limit(), start + MAX_BYTES);
        int cut = -1;
        int lastLineEnd = start;
        for (int i = start; i + 1 < end; i++) {
            if (message.get(i) == '\r' && message.get(i + 1) == '\n') {
                if (i == lastLineEnd) {
                    cut = i; // an empty line: the header section ends before it
                    break;
                }
                lastLineEnd = i + 2;
            }
        }
        if (cut < 0) {
            cut = end == message.limit() ? end : lastLineEnd;
        }
        byte[] headers = new byte[cut - start];
        message.duplicate().position(start).get(headers);
        return trimTrailingCrlf(headers);
    }

    private static byte[] trimTrailingCrlf(byte[] headers) {
        int n = headers.length;
        while (n >= 2 && headers[n - 2] == '\r' && headers[n - 1] == '\n') {
            n -= 2;
        }
        return n == headers.length ? headers : Arrays.copyOf(headers, n);
    }
}
