package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimSectionTest {
    @TempDir
    Path dir;

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SettingsLoader.parse(yaml, "x.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldReadKeysWithTheirDefaultsAndRotationDates() throws Exception {
        Path rsa = DkimKeyGenerator.generate("shop.example", "s1", DkimAlgorithm.RSA_SHA256, 2048,
                dir.resolve("s1.pem")).file();
        Path rsa2 = DkimKeyGenerator.generate("shop.example", "s2", DkimAlgorithm.RSA_SHA256, 2048,
                dir.resolve("s2.pem")).file();
        Settings s = SettingsLoader.parse("dkim:\n"
                + "  - {domain: Shop.Example, selector: s1, key_file: " + rsa + "}\n"
                + "  - {domain: shop.example, selector: s2, key_file: " + rsa2 + ", active_from: 2027-01-01,"
                + " canonicalization: simple, expire_after: 7d, fallback: true}\n", "x.yaml");
        DkimSettings.Key first = s.dkim().keys().get(0);
        assertThat(first.domain()).isEqualTo("shop.example");
        assertThat(first.algorithm()).isEqualTo("rsa-sha256");
        assertThat(first.headers()).isEqualTo(DkimSettings.DEFAULT_HEADERS);
        assertThat(first.headerCanon() + "/" + first.bodyCanon()).isEqualTo("relaxed/relaxed");
        DkimSettings.Key second = s.dkim().keys().get(1);
        assertThat(second.activeFrom()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(second.headerCanon() + "/" + second.bodyCanon()).as("RFC 6376: body defaults to simple")
                .isEqualTo("simple/simple");
        assertThat(second.expireAfterSeconds()).isEqualTo(7 * 86_400);
        assertThat(second.fallback()).isTrue();
    }

    @Test
    void shouldRefuseBadKeysAndEntriesNamingFileLineAndKey() throws Exception {
        Path ed = DkimKeyGenerator.generate("shop.example", "e1", DkimAlgorithm.ED25519_SHA256, 0,
                dir.resolve("e1.pem")).file();
        Path pkcs1 = Files.writeString(dir.resolve("old.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: e1, key_file: " + ed + "}\n"))
                .singleElement().asString().contains("x.yaml:2").contains("dkim[0].key_file")
                .contains("is not a RSA key for rsa-sha256");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: s1, key_file: " + pkcs1 + "}\n"))
                .singleElement().asString().contains("PKCS#1").contains("openssl pkcs8 -topk8");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: s1, key_file: " + dir.resolve("none.pem")
                + "}\n")).singleElement().asString().contains("dkim[0].key_file");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: e1, key_file: " + ed
                + ", algorithm: ed25519-sha256, headers: [to, subject]}\n")).singleElement().asString()
                .contains("dkim[0].headers").contains("must contain from");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: e1, key_file: " + ed
                + ", algorithm: ed25519-sha256}\n  - {domain: shop.example, selector: e1, key_file: " + ed
                + ", algorithm: ed25519-sha256}\n")).singleElement().asString()
                .contains("dkim[1].selector").contains("already has selector e1");
        assertThat(errors("dkim:\n  - {domain: shop.example, selector: e1, key_file: " + ed
                + ", algorithm: rsa-sha512, canonicalization: loose}\n"))
                .anySatisfy(e -> assertThat(e).contains("dkim[0].algorithm"))
                .anySatisfy(e -> assertThat(e).contains("dkim[0].canonicalization"));
    }
}
