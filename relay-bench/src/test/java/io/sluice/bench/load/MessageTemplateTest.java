package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTemplateTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2026, 11, 22, 8, 49, 32, 0, ZoneOffset.UTC);

    private static MessageTemplate template(int size) {
        return MessageTemplate.create(size, "bench@sluice-bench.test", "sink@sluice-bench.test", DATE);
    }

    @Test
    void shouldHitTheRequestedSizeExactlyWithShortCrlfLines() {
        int headerSize = template(0).sizeBytes();
        for (int size = headerSize + 2; size < headerSize + 3000; size++) {
            byte[] message = template(size).storedMessage(7);
            assertThat(message).as("size %d", size).hasSize(size);
            String text = new String(message, StandardCharsets.US_ASCII);
            assertThat(text).endsWith("\r\n");
            for (String line : text.split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(MessageTemplate.MAX_LINE);
                assertThat(line).doesNotContain("\r", "\n");
            }
        }
    }

    @Test
    void shouldUseTheHeaderAloneWhenTheRequestedSizeIsSmaller() {
        MessageTemplate t = template(10);
        assertThat(t.sizeBytes()).isEqualTo(t.header().length);
        assertThat(new String(t.wireText(), StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
    }

    @Test
    void shouldCarryRfc5322HeadersAndAUniqueMessageId() {
        String text = new String(template(2048).storedMessage(0xabcL), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("Date: Sun, 22 Nov 2026 08:49:32 +0000\r\n")
                .contains("\r\nFrom: Sluice Bench <bench@sluice-bench.test>\r\n",
                        "\r\nTo: <sink@sluice-bench.test>\r\n",
                        "\r\nSubject: sluice-bench load test message\r\n",
                        "\r\nMessage-ID: <0000000000000abc.sluice-bench@sluice-bench.test>\r\n",
                        "\r\n\r\n");
    }

    @Test
    void shouldDotStuffTheWireTextAndEndItWithTheTerminator() {
        MessageTemplate t = template(4096);
        String wire = new String(t.wireText(), StandardCharsets.US_ASCII);
        byte[] stored = t.storedMessage(1);
        String text = new String(stored, t.header().length, stored.length - t.header().length,
                StandardCharsets.US_ASCII);

        assertThat(wire).endsWith("\r\n.\r\n");
        assertThat(text).contains("\r\n.\r\n", "\r\n..\r\n", "\r\n...\r\n");
        String body = wire.substring(0, wire.length() - 3);
        assertThat(body).contains("\r\n..\r\n", "\r\n...\r\n", "\r\n....\r\n")
                .doesNotContain("\r\n.\r\n");
        assertThat(body.replace("\r\n.", "\r\n")).isEqualTo(text);
    }

    @Test
    void shouldWriteTheMessageIdIntoAHeaderCopy() {
        MessageTemplate t = template(1024);
        ByteBuf copy = Unpooled.buffer().writeBytes(new byte[3]).writeBytes(t.header());
        t.writeMessageId(copy, 3, 0x0123456789abcdefL);

        byte[] written = new byte[t.header().length];
        copy.getBytes(3, written);
        assertThat(written).isEqualTo(Arrays.copyOf(t.storedMessage(0x0123456789abcdefL), written.length));
        copy.release();
    }

    @Test
    void shouldStuffEveryLineStartingWithADotIncludingTheFirst() {
        byte[] stuffed = DotStuffing.stuff(".a\r\nb.\r\n.\r\n..x\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(stuffed, StandardCharsets.US_ASCII)).isEqualTo("..a\r\nb.\r\n..\r\n...x\r\n");
    }
}
