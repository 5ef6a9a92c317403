package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The body hash computed while the text arrives equals the one computed afterwards over the whole message
 * ({@link DkimSigner#bodyHash}, which python3-dkim and OpenDKIM check in {@link DkimSignerTest}), for both
 * canonicalizations, whatever the reads' boundaries: inside a CRLF, inside the empty line that ends the header
 * section, one byte at a time; and for messages without a body, without headers, without a final CRLF.
 */
class StreamingBodyHashTest {
    private static final List<String> MESSAGES = List.of(
            "From: a@shop.example\r\nSubject: hi\r\n\r\nbody line\r\n\r\n\r\n",
            "From: a@shop.example\r\nSubject:  two   spaces \r\n\tfolded\r\n\r\n  lead\t tab  \r\n\r\nlast\r\n",
            "From: a@shop.example\r\n\r\n",
            "From: a@shop.example\r\n",
            "From: a@shop.example\r\nSubject: no body CRLF\r\n\r\nlast line without CRLF",
            "From: a@shop.example\r\n\r\nends in a CR\r",
            "\r\nno header fields at all\r\n",
            "From: a@shop.example\r\n\r\n\r\n\r\n",
            "From: a@shop.example\r\n\r\n..dot-stuffed once\r\n.\r\nBücher für Jörg\r\n" + "x".repeat(5000) + "\r\n");

    @Test
    void shouldEqualTheWholeMessageHashForAnyReadBoundaries() {
        Random random = new Random(7);
        StreamingBodyHash stream = new StreamingBodyHash(EnumSet.allOf(Canonicalization.class));
        for (String m : MESSAGES) {
            byte[] bytes = m.getBytes(StandardCharsets.UTF_8);
            for (int trial = 0; trial < 40; trial++) {
                stream.reset(); // reused across messages, as a session does
                ByteBuffer text = ByteBuffer.allocateDirect(bytes.length + 16);
                text.put(new byte[16]).position(16); // the text starts after a headroom, as in a session
                int at = 0;
                while (at < bytes.length) {
                    int n = trial == 0 ? 1 : 1 + random.nextInt(Math.max(1, Math.min(64, bytes.length - at)));
                    n = Math.min(n, bytes.length - at);
                    text.limit(text.capacity()).position(16 + at);
                    text.put(bytes, at, n);
                    at += n;
                    stream.advance(text.duplicate().limit(16 + at).position(16));
                }
                byte[][] got = stream.finish(text.duplicate().limit(16 + bytes.length).position(16));
                for (Canonicalization c : Canonicalization.values()) {
                    assertThat(got[c.ordinal()]).as(c + " of " + m.replace("\r\n", "|"))
                            .isEqualTo(DkimSigner.bodyHash(c, ByteBuffer.wrap(bytes)));
                }
            }
        }
    }

    @Test
    void shouldHashOnlyTheCanonicalizationsAskedFor() {
        StreamingBodyHash relaxed = new StreamingBodyHash(EnumSet.of(Canonicalization.RELAXED));
        byte[] bytes = MESSAGES.get(0).getBytes(StandardCharsets.UTF_8);
        byte[][] got = relaxed.finish(ByteBuffer.wrap(bytes));
        assertThat(relaxed.covers(Canonicalization.SIMPLE)).isFalse();
        assertThat(got[Canonicalization.SIMPLE.ordinal()]).isNull();
        assertThat(got[Canonicalization.RELAXED.ordinal()])
                .isEqualTo(DkimSigner.bodyHash(Canonicalization.RELAXED, ByteBuffer.wrap(bytes)));
    }
}
