package io.sluice.bench.load;

import java.io.ByteArrayOutputStream;

/**
 * Client-side transparency for DATA (RFC 5321 4.5.2): every line of message text that starts with "." gets one
 * more "." in front, so that only the client's own {@code <CRLF>.<CRLF>} can end the data.
 *
 * <p>Input: message text with CRLF line ends. Output: the bytes to put on the wire before the terminator. Pure,
 * thread-safe, used once per run (the stuffed text is reused for every message), so it may allocate.
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    /**
     * @param text message text; a line starts at offset 0 and after every LF
     * @return the dot-stuffed text, same bytes otherwise
     */
    public static byte[] stuff(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 64 + 16);
        boolean lineStart = true;
        for (byte b : text) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }
}
