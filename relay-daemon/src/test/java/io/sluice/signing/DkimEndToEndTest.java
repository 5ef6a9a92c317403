package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.AdminHttp;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM end to end, the whole daemon on loopback: mail whose From is at a domain with keys arrives at the sink signed
 * twice (RSA-2048 and Ed25519), and the bytes the sink received verify with python3-dkim and OpenDKIM, also with lines SMTP
 * dot-stuffs, 8-bit text and a subdomain's From (relaxed alignment); mail from another domain arrives unsigned and is
 * counted; a listener with {@code dkim_required} refuses it with {@code 550 5.7.1}.
 */
class DkimEndToEndTest {
    @TempDir
    Path dir;

    static Path pem(Path file, KeyPair keys) throws Exception {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void shouldDeliverMailThatVerifiesAtTheSinkByteForByte() throws Exception {
        DkimVerifier.requireInstalled();
        DkimVerifier.requireOpenDkim();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path rsaPem = pem(dir.resolve("rsa.pem"), rsa);
        Path edPem = pem(dir.resolve("ed.pem"), ed);
        int mxPort = FreePorts.next();
        int strictPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none")
                    .anotherListener("name: strict\naddress: 127.0.0.1\nport: " + strictPort + "\ndkim_required: true")
                    .topLevel("""
                            dkim:
                              - domain: shop.example
                                selector: s1
                                key_file: %s
                              - domain: shop.example
                                selector: e1
                                key_file: %s
                                algorithm: ed25519-sha256
                                canonicalization: relaxed/simple
                            """.formatted(rsaPem, edPem)).start()) {
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    send(c, "From: \"Shop\" <news@shop.example>\r\nTo: a@dest.test\r\nSubject: dots and 8 bits\r\n"
                            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                            + "Content-Transfer-Encoding: 8bit\r\n\r\n..a line SMTP dot-stuffs\r\n.\r\n"
                            + "Bücher für Jörg  \r\n\r\n");
                    send(c, "From: alerts@eu.shop.example\r\nTo: a@dest.test\r\nSubject: subdomain\r\n\r\nhi\r\n");
                    send(c, "From: someone@other.example\r\nTo: a@dest.test\r\nSubject: no key\r\n\r\nhi\r\n");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 3);
                Map<String, String> records = Map.of(
                        "s1._domainkey.shop.example", DkimVerifier.record(DkimAlgorithm.RSA_SHA256, rsa),
                        "e1._domainkey.shop.example", DkimVerifier.record(DkimAlgorithm.ED25519_SHA256, ed));
                int signed = 0;
                for (MxSink.Received m : sink.messages()) {
                    String text = new String(m.bytes(), StandardCharsets.UTF_8);
                    if (text.contains("other.example")) {
                        assertThat(text).doesNotContain("DKIM-Signature");
                        continue;
                    }
                    assertThat(text).startsWith("DKIM-Signature: ").contains("a=rsa-sha256").contains(
                            "a=ed25519-sha256").contains("d=shop.example");
                    DkimVerifier.Result r = DkimVerifier.verify(dir, m.bytes(), records);
                    assertThat(r.exit()).as(text + "\n" + r.output()).isZero();
                    assertThat(r.output()).contains("pass 0").contains("pass 1");
                    DkimVerifier.Result o = DkimVerifier.openDkim(dir, m.bytes(), records);
                    assertThat(o.exit()).as(text + "\n" + o.output()).isZero();
                    signed++;
                }
                assertThat(signed).isEqualTo(2);
                int admin = daemon.adminPort();
                assertThat(AdminHttp.metric(admin, "sluice_dkim_signatures_total{algorithm=\"rsa-sha256\"}"))
                        .isEqualTo(2.0);
                assertThat(AdminHttp.metric(admin, "sluice_dkim_unsigned_total")).isEqualTo(1.0);

                try (SmtpClient c = new SmtpClient("127.0.0.1", strictPort)) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    c.send("MAIL FROM:<app@other.example>\r\nRCPT TO:<a@dest.test>\r\nDATA\r\n");
                    assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send("From: someone@other.example\r\nSubject: s\r\n\r\nhi\r\n.\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.reply()).startsWith("550 5.7.1 No DKIM key signs mail from other.example");
                }
            }
        }
    }

    private static void send(SmtpClient c, String message) throws Exception {
        c.send("MAIL FROM:<app@shop.example>\r\nRCPT TO:<a@dest.test>\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        String stuffed = message.replace("\r\n.", "\r\n..");
        c.send((stuffed + ".\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
    }

    @Test
    void shouldSignEachOneClickUnsubscribeCopyOverItsOwnHeaders() throws Exception {
        DkimVerifier.requireInstalled();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path edPem = pem(dir.resolve("ed.pem"), ed);
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none")
                    .topLevel("""
                            routes:
                              - name: default
                                pool: default
                                unsubscribe: {url_base: "https://u.shop.example"}
                            web:
                              enabled: true
                              port: %d
                            dkim:
                              - domain: shop.example
                                selector: e1
                                key_file: %s
                                algorithm: ed25519-sha256
                            """.formatted(FreePorts.next(), edPem)).start()) {
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    c.send("MAIL FROM:<news@shop.example>\r\nRCPT TO:<a@dest.test>\r\nRCPT TO:<b@dest.test>\r\n"
                            + "DATA\r\n");
                    assertThat(c.replies(4)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send(("From: news@shop.example\r\nSubject: news\r\n\r\n" + "a long body line\r\n"
                            .repeat(200) + ".\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 2);
                Map<String, String> records = Map.of("e1._domainkey.shop.example",
                        DkimVerifier.record(DkimAlgorithm.ED25519_SHA256, ed));
                for (MxSink.Received m : sink.messages()) {
                    String text = new String(m.bytes(), StandardCharsets.UTF_8);
                    assertThat(text).startsWith("DKIM-Signature: ").contains("list-unsubscribe")
                            .contains("List-Unsubscribe: <https://u.shop.example/u/");
                    DkimVerifier.Result r = DkimVerifier.verify(dir, m.bytes(), records);
                    assertThat(r.exit()).as(text + "\n" + r.output()).isZero();
                }
                assertThat(AdminHttp.metric(daemon.adminPort(),
                        "sluice_dkim_signatures_total{algorithm=\"ed25519-sha256\"}")).isEqualTo(2.0);
            }
        }
    }
}
