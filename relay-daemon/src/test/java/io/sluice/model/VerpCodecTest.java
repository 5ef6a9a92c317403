package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VerpCodecTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final VerpCodec codec = VerpCodec.bounces(KEY);

    private static String local(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    @Test
    void shouldRoundTripTheMessageAndOrdinalWithinSixtyFourOctetsForItsRecipientOnly() {
        String path = codec.returnPath(0x1a2b3c4d5e6f7081L, 70_000, "User@Dest.Example", "bounces.example.com");
        String local = local(path);
        assertThat(local).startsWith("b+").hasSize(VerpCodec.LOCAL_PART_LENGTH).hasSizeLessThanOrEqualTo(64);
        assertThat(path).endsWith("@bounces.example.com");
        VerpCodec.Token t = codec.decode(local);
        assertThat(t.messageId()).isEqualTo(0x1a2b3c4d5e6f7081L);
        assertThat(t.ordinal()).isEqualTo(70_000);
        assertThat(codec.verify(t, "user@dest.example")).as("case-insensitive").isTrue();
        assertThat(codec.verify(t, "other@dest.example")).as("bound to its recipient").isFalse();
        VerpCodec.Token upper = codec.decode(local.toUpperCase(Locale.ROOT));
        assertThat(upper).as("a hop may change the case").isEqualTo(t);
        VerpCodec.Token max = codec.decode(local(codec.returnPath(-1L, VerpCodec.MAX_ORDINAL, "a@b.test", "d.test")));
        assertThat(max.messageId()).isEqualTo(-1L);
        assertThat(codec.verify(max, "a@b.test")).isTrue();
    }

    @Test
    void shouldRefuseEveryAlteredOrForeignToken() {
        String local = local(codec.returnPath(42, 1, "a@b.test", "b.test"));
        for (int i = 2; i < local.length(); i++) {
            char c = local.charAt(i);
            String altered = local.substring(0, i) + (c == 'a' ? 'b' : 'a') + local.substring(i + 1);
            VerpCodec.Token t = codec.decode(altered);
            assertThat(t == null || !codec.verify(t, "a@b.test")).as("changed at " + i).isTrue();
        }
        VerpCodec other = VerpCodec.bounces("another-key-another-key-0000".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(other.decode(local), "a@b.test")).as("signed with another key").isFalse();
        VerpCodec unsubscribes = VerpCodec.unsubscribes(KEY);
        assertThat(unsubscribes.decode(local)).as("a return path is no unsubscribe address").isNull();
        String u = local(unsubscribes.returnPath(42, 1, "a@b.test", "b.test"));
        assertThat(u).startsWith("u+");
        assertThat(codec.verify(codec.decode("b+" + u.substring(2)), "a@b.test")).as("keyed apart").isFalse();
        assertThat(codec.decode(local + "a")).isNull();
        assertThat(codec.decode(local.substring(0, local.length() - 1))).isNull();
        assertThat(codec.decode("b+" + "1".repeat(VerpCodec.TOKEN_CHARS))).isNull();
        assertThat(codec.decode("bounce")).isNull();
        assertThat(VerpCodec.isVerpLocalPart("B+abc")).isTrue();
        assertThat(VerpCodec.isVerpLocalPart("news")).isFalse();
    }

    @Test
    void shouldRefuseAShortKey() {
        assertThatThrownBy(() -> new VerpCodec(new byte[8])).hasMessageContaining("at least 16");
    }
}
