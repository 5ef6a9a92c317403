package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DKIM's Ed25519 signatures come from Bouncy Castle, and they are the very bytes the JDK makes (Ed25519 is
 * deterministic), for any key and message: the choice changes speed only. Independent verification of whole DKIM
 * signatures is in {@link DkimSignerTest}.
 */
class Ed25519SigningTest {

    @Test
    void shouldGiveTheJdksSignatureBytes() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] message = new byte[random.nextInt(64)];
            random.nextBytes(message);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initSign(keys.getPrivate());
            jdk.update(message);
            assertThat(Ed25519Signing.sign(Ed25519Signing.adopt(keys.getPrivate()), message))
                    .isEqualTo(jdk.sign());
        }
    }
}
