package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Finds UTF-8 in the header section only: before the first empty line, or anywhere when there is none. */
class InternationalHeadersTest {
    private static boolean present(String text) {
        ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            b.readerIndex(0);
            return InternationalHeaders.present(b);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldSeeUtf8InAHeaderField() {
        assertThat(present("From: a@b.test\r\nSubject: Grüße\r\n\r\nbody\r\n")).isTrue();
        assertThat(present("Subject: x\r\n\tGrüße folded\r\n\r\nbody\r\n")).isTrue();
    }

    @Test
    void shouldIgnoreUtf8InTheBody() {
        assertThat(present("Subject: plain\r\n\r\nGrüße\r\n")).isFalse();
        assertThat(present("\r\nGrüße: no header section at all\r\n")).isFalse();
    }

    @Test
    void shouldTreatAMessageWithoutAnEmptyLineAsAllHeaders() {
        assertThat(present("Subject: plain\r\nX: ü")).isTrue();
        assertThat(present("Subject: plain\r\nX: y\r\n")).isFalse();
    }

    @Test
    void shouldStartAtTheReaderIndex() {
        ByteBuf b = Unpooled.copiedBuffer("Grüße\r\n\r\nSubject: plain\r\n\r\nü", StandardCharsets.UTF_8);
        try {
            b.readerIndex(b.indexOf(0, b.writerIndex(), (byte) 'S'));
            assertThat(InternationalHeaders.present(b)).isFalse();
            assertThat(b.readerIndex()).as("indexes untouched").isPositive();
        } finally {
            b.release();
        }
    }
}
