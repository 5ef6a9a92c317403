package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/**
 * DKIM's RSA signatures go through Conscrypt where its native library loads (Linux x86-64, as here and in CI), and
 * they are the very bytes the JDK makes (RSA PKCS#1 v1.5 is deterministic), so the choice changes speed only.
 */
class RsaSigningTest {

    @Test
    void shouldSignWithConscryptOnLinuxX86AndGiveTheJdksBytes() throws Exception {
        boolean linuxX86 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (linuxX86) {
            assertThat(RsaSigning.implementation()).isEqualTo("Conscrypt");
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        RsaSigning.Adopted adopted = RsaSigning.adopt(keys.getPrivate());
        assertThat(adopted.provider() == null).isEqualTo(RsaSigning.implementation().equals("JDK"));

        byte[] data = "DKIM-Signature: v=1; a=rsa-sha256; b=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature ours = adopted.signature();
        ours.initSign(adopted.key());
        ours.update(data);
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initSign(keys.getPrivate());
        jdk.update(data);
        assertThat(ours.sign()).isEqualTo(jdk.sign());
    }
}
