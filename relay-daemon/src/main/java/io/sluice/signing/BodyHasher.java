package io.sluice.signing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The DKIM body hash (RFC 6376 section 3.7, {@code bh=}): SHA-256 of the canonical body, fed line by line so that
 * the canonical form is never built in memory. Empty lines are held back until a non-empty one follows, because
 * trailing empty lines do not count (3.4.3, 3.4.4); {@code simple} makes an empty body one CRLF, {@code relaxed}
 * leaves it empty, and both end a non-empty body with CRLF. The body is CRLF text as the journal stores it; a last
 * line without CRLF counts as if it had one (the next hop gets it with one). One instance per message; not
 * thread-safe.
 */
final class BodyHasher {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Canonicalization canon;
    private final MessageDigest sha256;
    private long heldEmptyLines;
    /** A relaxed line's canonical bytes, reused (grows to the longest line). */
    private byte[] scratch = new byte[1024];
    /** A view of the body for whole-line updates ({@code simple}), and the buffer it is a view of. */
    private ByteBuffer view;
    private ByteBuffer viewOf;
    private boolean anyLine;

    BodyHasher(Canonicalization canon) {
        this.canon = canon;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }


    /** Starts over for the next message (the digest is reset; the scratch array is kept). */
    void reset() {
        sha256.reset();
        heldEmptyLines = 0;
        anyLine = false;
        view = null;
        viewOf = null;
    }

    /** One line's content (without its CRLF) from {@code from} to {@code to}. */
    void line(ByteBuffer body, int from, int to) {
        int end = to;
        if (canon == Canonicalization.RELAXED) {
            while (end > from && Canonicalization.isWsp(body.get(end - 1))) {
                end--; // white space at the end of a line is removed
            }
        }
        if (end == from) {
            heldEmptyLines++;
            return;
        }
        for (; heldEmptyLines > 0; heldEmptyLines--) {
            sha256.update(CRLF);
        }
        if (canon == Canonicalization.SIMPLE) {
            if (viewOf != body) {
                view = body.duplicate();
                viewOf = body;
            }
            view.limit(end).position(from); // the line as it is, in one call
            sha256.update(view);
        } else {
            if (scratch.length < end - from) {
                scratch = new byte[Math.max(end - from, scratch.length * 2)];
            }
            int n = 0;
            boolean space = false;
            for (int i = from; i < end; i++) {
                byte b = body.get(i);
                if (Canonicalization.isWsp(b)) {
                    space = true;
                    continue;
                }
                if (space) {
                    scratch[n++] = ' ';
                    space = false;
                }
                scratch[n++] = b;
            }
            sha256.update(scratch, 0, n);
        }
        sha256.update(CRLF);
        anyLine = true;
    }

    byte[] finish() {
        if (!anyLine && canon == Canonicalization.SIMPLE) {
            sha256.update(CRLF); // an empty body is one CRLF in simple
        }
        return sha256.digest();
    }
}
