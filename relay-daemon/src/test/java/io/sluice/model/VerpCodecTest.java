package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VerpCodecTest {
    private final VerpCodec codec = new VerpCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldRoundTripTheMessageAndOrdinalWithinSixtyFourOctets() {
        String path = codec.returnPath(0x1a2b3c4d5e6f7081L, 70_000, "bounces.example.com");
        String local = path.substring(0, path.indexOf('@'));
        assertThat(local).startsWith("b+").hasSize(VerpCodec.LOCAL_PART_LENGTH).hasSizeLessThanOrEqualTo(64);
        assertThat(path).endsWith("@bounces.example.com");
        assertThat(codec.verify(local)).isEqualTo(new VerpCodec.Token(0x1a2b3c4d5e6f7081L, 70_000));
        assertThat(codec.verify(local.toUpperCase(Locale.ROOT))).as("a hop may change the case")
                .isEqualTo(new VerpCodec.Token(0x1a2b3c4d5e6f7081L, 70_000));
        assertThat(codec.verify(codec.returnPath(-1L, VerpCodec.MAX_ORDINAL, "d.test").split("@")[0]))
                .isEqualTo(new VerpCodec.Token(-1L, VerpCodec.MAX_ORDINAL));
    }

    @Test
    void shouldRefuseEveryAlteredOrForeignToken() {
        String local = codec.returnPath(42, 1, "b.test").split("@")[0];
        for (int i = 2; i < local.length(); i++) {
            char c = local.charAt(i);
            String altered = local.substring(0, i) + (c == 'a' ? 'b' : 'a') + local.substring(i + 1);
            assertThat(codec.verify(altered)).as("changed at " + i).isNull();
        }
        VerpCodec other = new VerpCodec("another-key-another-key-0000".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(local)).as("signed with another key").isNull();
        assertThat(codec.verify(local + "a")).isNull();
        assertThat(codec.verify(local.substring(0, local.length() - 1))).isNull();
        assertThat(codec.verify("b+" + "1".repeat(VerpCodec.TOKEN_CHARS))).isNull();
        assertThat(codec.verify("bounce")).isNull();
        assertThat(VerpCodec.isVerpLocalPart("B+abc")).isTrue();
        assertThat(VerpCodec.isVerpLocalPart("news")).isFalse();
    }

    @Test
    void shouldRefuseAShortKey() {
        assertThatThrownBy(() -> new VerpCodec(new byte[8])).hasMessageContaining("at least 16");
    }
}
