package io.sluice.signing;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The DKIM body hashes of a message computed while it arrives, not by a second pass: after each read the session
 * hands over the text received so far ({@link #advance}); the complete lines past the header section are hashed at
 * once, for each body canonicalization the configured keys use, while they are still in the cache; {@link #finish}
 * hashes a last line without CRLF and gives the hashes. The header section ends at the first empty line (for CRLF
 * text, as DATA stores it, where {@link DkimSigner} ends the fields it signs); {@link DkimSigner#bodyHash} is this
 * class run once over a whole message.
 *
 * <p>One per session, reused: {@link #reset} per message; only the digests' state and a scratch line buffer are
 * kept. Event loop only; not thread-safe.
 */
public final class StreamingBodyHash {
    /** One hasher per canonicalization in use (by ordinal), null for the others. */
    private final BodyHasher[] hashers = new BodyHasher[Canonicalization.values().length];
    /** Octets of the text consumed as whole lines so far. */
    private int scanned;
    private boolean inBody;

    /** Hashes bodies for each of {@code canons} (the body canonicalizations of the configured keys). */
    public StreamingBodyHash(Set<Canonicalization> canons) {
        for (Canonicalization c : canons) {
            hashers[c.ordinal()] = new BodyHasher(c);
        }
    }

    /** Whether it hashes for {@code canon}. */
    public boolean covers(Canonicalization canon) {
        return hashers[canon.ordinal()] != null;
    }

    /** Starts a new message. */
    public void reset() {
        scanned = 0;
        inBody = false;
        for (BodyHasher h : hashers) {
            if (h != null) {
                h.reset();
            }
        }
    }

    /**
     * Consumes the complete lines of {@code text} (the message received so far, from its position to its limit;
     * the same message as at the last call, longer) not seen yet. Absolute reads; the buffer is not changed.
     */
    public void advance(ByteBuffer text) {
        int base = text.position();
        int end = text.limit();
        int lineStart = base + scanned;
        for (int i = lineStart; i < end; i++) {
            if (text.get(i) == '\n') {
                line(text, lineStart, i > lineStart && text.get(i - 1) == '\r' ? i - 1 : i);
                lineStart = i + 1;
            }
        }
        scanned = lineStart - base;
    }

    /**
     * The body hashes of the whole {@code text} (the complete message, the one {@link #advance} saw grow), by
     * canonicalization ordinal; null where not {@link #covers covered}. Reset before the next message.
     */
    public byte[][] finish(ByteBuffer text) {
        advance(text);
        int start = text.position() + scanned;
        int end = text.limit();
        if (start < end) { // a last line without LF counts as if it had a CRLF (its CR, if any, dropped)
            line(text, start, text.get(end - 1) == '\r' ? end - 1 : end);
        }
        byte[][] out = new byte[hashers.length][];
        for (int c = 0; c < hashers.length; c++) {
            if (hashers[c] != null) {
                out[c] = hashers[c].finish();
            }
        }
        return out;
    }

    private void line(ByteBuffer text, int from, int contentEnd) {
        if (!inBody) {
            inBody = contentEnd == from; // the empty line that ends the header section
            return;
        }
        for (BodyHasher h : hashers) {
            if (h != null) {
                h.line(text, from, contentEnd);
            }
        }
    }
}
