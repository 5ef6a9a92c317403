package io.sluice.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LineBytes} finds exactly what a byte-by-byte search finds, at every offset and word boundary, on heap and
 * direct buffers (the word-at-a-time read from the memory address), with other control octets (TAB, FF) in the way.
 */
class LineBytesTest {

    @Test
    void shouldFindTheFirstCrLfOrNulLikeAPlainLoop() {
        Random random = new Random(7);
        byte[] alphabet = {'a', 'Z', '.', ' ', '\r', '\n', 0, (byte) 0x80, (byte) 0xff, 0x01, 0x09, 0x0c, 0x0e,
            (byte) 0x8d, (byte) 0x8e};
        for (int round = 0; round < 20_000; round++) {
            byte[] text = new byte[random.nextInt(40)];
            for (int i = 0; i < text.length; i++) {
                // mostly plain text, now and then one of the interesting octets
                text[i] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (byte) (0x20 + random.nextInt(0x5f));
            }
            ByteBuf heap = Unpooled.wrappedBuffer(text);
            ByteBuf direct = Unpooled.directBuffer(text.length + 3).writeBytes(new byte[3]).writeBytes(text);
            int from = text.length == 0 ? 0 : random.nextInt(text.length);
            int to = from + random.nextInt(text.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (text[i] == '\r' || text[i] == '\n' || text[i] == 0) {
                    expected = i;
                    break;
                }
            }
            assertThat(LineBytes.indexOfCrLfNul(heap, from, to)).isEqualTo(expected);
            assertThat(LineBytes.indexOfCrLfNul(direct, from + 3, to + 3)).isEqualTo(expected < 0 ? -1 : expected + 3);
            byte value = alphabet[random.nextInt(alphabet.length)];
            int expectedValue = -1;
            for (int i = from; i < to; i++) {
                if (text[i] == value) {
                    expectedValue = i;
                    break;
                }
            }
            assertThat(LineBytes.indexOf(heap, from, to, value)).isEqualTo(expectedValue);
            assertThat(LineBytes.indexOf(direct, from + 3, to + 3, value))
                    .isEqualTo(expectedValue < 0 ? -1 : expectedValue + 3);
            boolean highBit = false;
            for (int i = from; i < to; i++) {
                highBit |= text[i] < 0;
            }
            assertThat(LineBytes.anyHighBit(heap, from, to)).isEqualTo(highBit);
            assertThat(LineBytes.anyHighBit(direct, from + 3, to + 3)).isEqualTo(highBit);
            direct.release();
        }
    }

    @Test
    void shouldNotTakeNeighboursOfTheSearchedValuesForThem() {
        // 0x0c/0x0e beside LF (0x0a)/CR (0x0d), 0x80/0xff: the classic false positives of a careless SWAR test
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0x0b, 0x0c, 0x0e, (byte) 0x80, (byte) 0xff, 0x01, 0x09,
                0x0f, 0x20, 0x21, 0x0b, 0x0c, 0x0e, 0x7f, (byte) 0x8a, (byte) 0x8d, '\n'});
        assertThat(LineBytes.indexOfCrLfNul(buf, 0, buf.writerIndex())).isEqualTo(16);
    }
}
