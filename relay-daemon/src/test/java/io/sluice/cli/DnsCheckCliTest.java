package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimKeyGenerator;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice dns check} against a test zone on loopback (the real resolver code, the real DNS server of the tests):
 * a domain whose MX, SPF (through an include), DKIM record, DMARC and the source's PTR are right passes every check;
 * a broken one gets each problem in words with what to publish, and exit 1.
 */
class DnsCheckCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassAGoodDomainAndNameEveryProblemOfABrokenOne() throws Exception {
        DkimKeyGenerator.Generated good = DkimKeyGenerator.generate("good.test", "s1", DkimAlgorithm.RSA_SHA256, 2048,
                dir.resolve("good.pem"));
        DkimKeyGenerator.Generated broken = DkimKeyGenerator.generate("broken.test", "s1", DkimAlgorithm.RSA_SHA256,
                2048, dir.resolve("broken.pem"));
        DkimKeyGenerator.Generated other = DkimKeyGenerator.generate("broken.test", "x", DkimAlgorithm.RSA_SHA256,
                2048, dir.resolve("other.pem"));
        try (TestDnsServer dns = TestDnsServer.start("test").alsoServe("in-addr.arpa")) {
            dns.mx("good.test", 10, "mx.good.test").a("mx.good.test", "127.0.0.9")
                    .txt("good.test", "v=spf1 include:_spf.good.test -all")
                    .txt("_spf.good.test", "v=spf1 ip4:127.0.0.0/8 -all")
                    .txt("s1._domainkey.good.test", split(good.record()))
                    .txt("_dmarc.good.test", "v=DMARC1; p=reject; rua=mailto:d@good.test")
                    .ptr("127.0.0.1", "mta1.good.test").a("mta1.good.test", "127.0.0.1");
            dns.txt("broken.test", "v=spf1 ip4:192.0.2.1 -all")
                    .txt("s1._domainkey.broken.test", split(other.record()));
            Path config = dir.resolve("sluice.yaml");
            Files.writeString(config, "journal:\n  dir: " + dir.resolve("journal") + "\n"
                    + "dns:\n  resolvers: [\"" + dns.resolverSpec() + "\"]\n  timeout: 2s\n"
                    + "sources:\n  - {name: ip1, address: 127.0.0.1, ehlo_name: mta1.good.test}\n"
                    + "pools:\n  - name: default\n    sources:\n      - {source: ip1}\n"
                    + "dkim:\n  - {domain: good.test, selector: s1, key_file: " + good.file() + "}\n"
                    + "  - {domain: broken.test, selector: s1, key_file: " + broken.file() + "}\n");

            CliRun ok = CliRun.sluice("dns", "check", "-c", config.toString(), "good.test");
            assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.out()).contains("ok       mx: good.test MX: mx.good.test")
                    .contains("ok       spf: SPF of good.test passes source ip1 (127.0.0.1)")
                    .contains("ok       dkim: s1._domainkey.good.test publishes the key of")
                    .contains("ok       dmarc: _dmarc.good.test: policy reject; Sluice signs with d=good.test")
                    .contains("ok       ptr: 127.0.0.1 has PTR mta1.good.test, confirmed").doesNotContain("PROBLEM");

            CliRun bad = CliRun.sluice("dns", "check", "-c", config.toString(), "broken.test", "--json");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.out())
                    .contains("broken.test has no MX record")
                    .contains("SPF of broken.test gives fail for source ip1 (127.0.0.1)")
                    .contains("add ip4:127.0.0.1")
                    .contains("s1._domainkey.broken.test: the published key is not the key in")
                    .contains("_dmarc.broken.test has no DMARC record")
                    .contains("\"ok\":false");
        }
    }

    /** A TXT value as character-strings of at most 255 characters. */
    private static String[] split(String value) {
        int n = (value.length() + 254) / 255;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = value.substring(i * 255, Math.min(value.length(), (i + 1) * 255));
        }
        return out;
    }
}
