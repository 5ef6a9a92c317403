package io.sluice.signing;

/**
 * DKIM canonicalization (RFC 6376 section 3.4) of one header field or of the body, {@code simple} or
 * {@code relaxed}. Header fields are given as their raw bytes (name, colon, value, folding CRLFs and the final CRLF).
 * Pure; thread-safe.
 */
public enum Canonicalization {
    /** Nothing changes but the body's trailing empty lines (3.4.1, 3.4.3). */
    SIMPLE,
    /** Case of header names, folding and runs of white space do not count (3.4.2, 3.4.4). */
    RELAXED;

    /** The tag value: {@code simple} or {@code relaxed}. */
    public String label() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    /** The canonical form of one header field, appended to {@code out} (with its CRLF). */
    public void header(byte[] raw, int from, int to, ByteSink out) {
        if (this == SIMPLE) {
            out.write(raw, from, to - from);
            return;
        }
        int colon = from;
        while (colon < to && raw[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > from && isWsp(raw[nameEnd - 1])) {
            nameEnd--;
        }
        for (int i = from; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b);
        }
        out.write((byte) ':');
        // value: unfold (CRLF disappears), runs of WSP become one SP, WSP at both ends removed
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < to; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') {
                continue;
            }
            if (isWsp(b)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.write((byte) ' ');
                pendingSpace = false;
            }
            out.write(b);
            started = true;
        }
        out.write((byte) '\r');
        out.write((byte) '\n');
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Where canonical bytes go: a digest, or a buffer in tests. */
    public interface ByteSink {
        void write(byte b);

        void write(byte[] bytes, int offset, int length);
    }
}
