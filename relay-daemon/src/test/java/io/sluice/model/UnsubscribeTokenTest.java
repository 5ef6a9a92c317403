package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {
    private final UnsubscribeToken tokens = new UnsubscribeToken(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldRoundTripRecipientSenderDomainAndMinute() {
        String t = tokens.encode("Jörg@bücher.example", "news.example", 1_780_000_123_456L);
        assertThat(t).matches("[A-Za-z0-9_-]+");
        assertThat(tokens.verify(t)).isEqualTo(new UnsubscribeToken.Claim("Jörg@bücher.example", "news.example",
                1_780_000_080_000L));
        assertThat(tokens.verify(tokens.encode("a@b.example", "", 0)).senderDomain()).isEmpty();
    }

    @Test
    void shouldRefuseAlteredForeignAndMalformedTokens() {
        String t = tokens.encode("a@dest.example", "news.example", 1_780_000_000_000L);
        byte[] raw = Base64.getUrlDecoder().decode(t);
        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 1;
            assertThat(tokens.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(altered)))
                    .as("byte " + i).isNull();
        }
        UnsubscribeToken other = new UnsubscribeToken("another-secret-another-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(t)).isNull();
        assertThat(tokens.verify("")).isNull();
        assertThat(tokens.verify("!!!")).isNull();
        assertThat(tokens.verify("A".repeat(UnsubscribeToken.MAX_CHARS + 1))).isNull();
        assertThat(tokens.verify(t.substring(0, 10))).isNull();
    }
}
