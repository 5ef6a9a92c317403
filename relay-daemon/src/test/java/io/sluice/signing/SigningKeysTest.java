package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which keys sign: From-domain alignment, parents, fallback, rotation on the active_from date, dual signing. */
class SigningKeysTest {
    private static PrivateKey rsa;
    private static PrivateKey ed;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair().getPrivate();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    }

    private static SigningKeys.Entry entry(String domain, String selector, DkimAlgorithm a, String activeFrom,
                                           boolean fallback) {
        return new SigningKeys.Entry(new DkimSigner(new DkimSigner.Key(domain, selector, a,
                a == DkimAlgorithm.RSA_SHA256 ? rsa : ed, List.of("from"), List.of(), Canonicalization.RELAXED,
                Canonicalization.RELAXED, 0)), activeFrom == null ? null : Instant.parse(activeFrom), fallback);
    }

    private static List<String> selectors(SigningKeys keys, String from, String now) {
        return keys.forFromDomain(from, Instant.parse(now)).stream().map(s -> s.key().selector()).toList();
    }

    @Test
    void shouldRotateToTheNewSelectorOnItsDate() {
        SigningKeys keys = new SigningKeys(List.of(
                entry("shop.example", "s2026a", DkimAlgorithm.RSA_SHA256, null, false),
                entry("shop.example", "s2026b", DkimAlgorithm.RSA_SHA256, "2026-12-10T00:00:00Z", false),
                entry("shop.example", "e1", DkimAlgorithm.ED25519_SHA256, null, false)));
        assertThat(selectors(keys, "shop.example", "2026-12-09T23:59:59Z")).containsExactly("s2026a", "e1");
        assertThat(selectors(keys, "shop.example", "2026-12-10T00:00:00Z")).containsExactly("s2026b", "e1");
    }

    @Test
    void shouldAlignWithTheFromDomainOrItsParentElseTheFallback() {
        SigningKeys keys = new SigningKeys(List.of(
                entry("shop.example", "s1", DkimAlgorithm.RSA_SHA256, null, false),
                entry("esp.example", "f1", DkimAlgorithm.ED25519_SHA256, null, true)));
        String now = "2026-12-07T00:00:00Z";
        assertThat(selectors(keys, "shop.example", now)).containsExactly("s1");
        assertThat(selectors(keys, "news.eu.shop.example", now)).containsExactly("s1");
        assertThat(selectors(keys, "other.example", now)).as("the fallback").containsExactly("f1");
        assertThat(selectors(keys, "", now)).containsExactly("f1");
        assertThat(selectors(new SigningKeys(List.of(entry("shop.example", "s1", DkimAlgorithm.RSA_SHA256, null,
                false))), "example", now)).isEmpty();
        assertThat(SigningKeys.none().forFromDomain("shop.example", Instant.parse(now))).isEmpty();
    }
}
