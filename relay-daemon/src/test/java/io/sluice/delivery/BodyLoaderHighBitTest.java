package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.sluice.smtp.codec.LineBytes;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The body loader's 8-bit test ({@link LineBytes#anyHighBit} on the loaded body) agrees with a byte loop at every
 * offset, length and position of the 8-bit byte.
 */
class BodyLoaderHighBitTest {

    @Test
    void shouldFindAnEightBitByteAnywhere() {
        Random random = new Random(3);
        for (int round = 0; round < 20_000; round++) {
            byte[] chunk = new byte[random.nextInt(40)];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) random.nextInt(0x80);
            }
            if (chunk.length > 0 && random.nextBoolean()) {
                chunk[random.nextInt(chunk.length)] = (byte) (0x80 | random.nextInt(0x80));
            }
            int offset = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
            int length = random.nextInt(chunk.length - offset + 1);
            boolean expected = false;
            for (int i = offset; i < offset + length; i++) {
                expected |= chunk[i] < 0;
            }
            assertThat(LineBytes.anyHighBit(Unpooled.wrappedBuffer(chunk), offset, offset + length))
                    .isEqualTo(expected);
        }
    }
}
