package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteAPrivateKeyThatTheConfigLoadsAndPrintItsRecord() throws Exception {
        Path rsa = dir.resolve("keys/shop.example.s1.pem");
        CliRun run = CliRun.sluice("dkim", "keygen", "--domain", "Shop.Example", "--selector", "s1", "--out",
                rsa.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rsa))).isEqualTo("rw-------");
        assertThat(Files.readString(rsa)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(run.out()).contains("s1._domainkey.shop.example. IN TXT \"v=DKIM1; k=rsa; p=MIIB")
                .contains("\" \"").contains("  - domain: shop.example").contains("algorithm: rsa-sha256");

        Path ed = dir.resolve("keys/shop.example.e1.pem");
        CliRun edRun = CliRun.sluice("dkim", "keygen", "--domain", "shop.example", "--selector", "e1",
                "--algorithm", "ed25519", "--out", ed.toString());
        assertThat(edRun.exit()).as(edRun.err()).isZero();
        assertThat(edRun.out()).containsPattern("e1\\._domainkey\\.shop\\.example\\. IN TXT \"v=DKIM1; k=ed25519;"
                + " p=[A-Za-z0-9+/]{43}=\"");

        assertThat(SettingsLoader.parse("dkim:\n  - {domain: shop.example, selector: s1, key_file: " + rsa + "}\n"
                + "  - {domain: shop.example, selector: e1, key_file: " + ed + ", algorithm: ed25519-sha256}\n",
                "x.yaml").dkim().keys()).hasSize(2);

        CliRun again = CliRun.sluice("dkim", "keygen", "--domain", "shop.example", "--selector", "s1", "--out",
                rsa.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists already");
        assertThat(CliRun.sluice("dkim", "keygen", "--domain", "shop.example", "--selector", "x", "--bits", "1024")
                .exit()).isEqualTo(2);
    }
}
