package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private static final int FAST = PasswordHash.MIN_ITERATIONS;

    @Test
    void shouldVerifyTheHashedPassword() {
        String encoded = PasswordHash.hash("correct horse".toCharArray(), FAST);

        assertThat(PasswordHash.verify("correct horse".toCharArray(), encoded)).isTrue();
    }

    @Test
    void shouldRejectAWrongPassword() {
        String encoded = PasswordHash.hash("correct horse".toCharArray(), FAST);

        assertThat(PasswordHash.verify("correct horsE".toCharArray(), encoded)).isFalse();
        assertThat(PasswordHash.verify("correct horse ".toCharArray(), encoded)).isFalse();
    }

    @Test
    void shouldVerifyNonAsciiPasswords() {
        String encoded = PasswordHash.hash("pässwörd€".toCharArray(), FAST);

        assertThat(PasswordHash.verify("pässwörd€".toCharArray(), encoded)).isTrue();
        assertThat(PasswordHash.verify("passwords".toCharArray(), encoded)).isFalse();
    }

    @Test
    void shouldWriteTheSelfDescribingFormatWithDefaultIterations() {
        String encoded = PasswordHash.hash("secret".toCharArray());

        assertThat(encoded).matches("\\$pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHash.parse(encoded).iterations()).isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
        assertThat(PasswordHash.parse(encoded).encoded()).isEqualTo(encoded);
    }

    @Test
    void shouldSaltEachHashDifferently() {
        String first = PasswordHash.hash("same".toCharArray(), FAST);
        String second = PasswordHash.hash("same".toCharArray(), FAST);

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void shouldRejectAHashWithOneFlippedBit() {
        String encoded = PasswordHash.hash("secret".toCharArray(), FAST);
        String[] fields = encoded.split("\\$");
        byte[] hash = Base64.getDecoder().decode(fields[4]);
        hash[0] ^= 1;
        String tampered = "$" + fields[1] + "$" + fields[2] + "$" + fields[3] + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(hash);

        assertThat(PasswordHash.verify("secret".toCharArray(), tampered)).isFalse();
    }

    @Test
    void shouldRejectAHashWithChangedIterationsOrSalt() {
        String encoded = PasswordHash.hash("secret".toCharArray(), FAST);
        String[] fields = encoded.split("\\$");
        String moreIterations = "$" + fields[1] + "$1001$" + fields[3] + "$" + fields[4];
        byte[] salt = Base64.getDecoder().decode(fields[3]);
        salt[15] ^= (byte) 0x80;
        String otherSalt = "$" + fields[1] + "$" + fields[2] + "$"
                + Base64.getEncoder().encodeToString(salt) + "$" + fields[4];

        assertThat(PasswordHash.verify("secret".toCharArray(), moreIterations)).isFalse();
        assertThat(PasswordHash.verify("secret".toCharArray(), otherSalt)).isFalse();
    }

    @Test
    void shouldNameTheProblemInAMalformedHash() {
        String salt = Base64.getEncoder().encodeToString(new byte[16]);
        String hash = Base64.getEncoder().encodeToString(new byte[32]);

        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha1$1000$" + salt + "$" + hash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected $pbkdf2-sha256$");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$1000$" + salt))
                .hasMessageContaining("expected $pbkdf2-sha256$");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$999$" + salt + "$" + hash))
                .hasMessage("iterations must be a number from 1000 to 10000000");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$-5000$" + salt + "$" + hash))
                .hasMessageContaining("iterations must be a number");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$1000$sa!t$" + hash))
                .hasMessage("salt is not base64");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$1000$" + salt + "$AAAA"))
                .hasMessage("hash must be 16-64 bytes");
    }

    @Test
    void shouldAcceptPaddedBase64() {
        String encoded = PasswordHash.hash("secret".toCharArray(), FAST);
        String[] fields = encoded.split("\\$");
        String padded = "$" + fields[1] + "$" + fields[2] + "$" + fields[3] + "==$" + fields[4] + "=";

        assertThat(PasswordHash.verify("secret".toCharArray(), padded)).isTrue();
    }

    @Test
    void shouldRefuseToHashAnEmptyPasswordAndNeverMatchOne() {
        String encoded = PasswordHash.hash("x".toCharArray(), FAST);

        assertThatThrownBy(() -> PasswordHash.hash(new char[0], FAST)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PasswordHash.verify(new char[0], encoded)).isFalse();
    }

    @Test
    void shouldNotShowSaltOrHashInToString() {
        PasswordHash hash = PasswordHash.parse(PasswordHash.hash("secret".toCharArray(), FAST));

        assertThat(hash.toString()).isEqualTo("PasswordHash[pbkdf2-sha256, iterations=1000]");
    }

    @Test
    void shouldNeverMatchTheDecoy() {
        assertThat(PasswordHash.decoy(FAST).matches("anything".toCharArray())).isFalse();
    }
}
