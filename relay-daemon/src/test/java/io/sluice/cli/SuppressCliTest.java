package io.sluice.cli;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice suppress} against a real daemon on loopback: an operator adds an address, lists it, and mail to it is
 * recorded suppressed and never reaches the sink; a per-sender-domain entry holds back only that sender's mail; an
 * import of 1,000 lines (sent in parts) and an export give back the same entries; a bad CSV line is refused with its
 * line number and changes nothing; remove takes an entry off again.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SuppressCliTest {
    private static final String TOKEN = "suppress-admin-token-0123456789";

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private MxSink sink;
    private TestDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {daemon, sink, dns}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private String start() throws Exception {
        return start("");
    }

    private String start(String listenerYaml) throws Exception {
        int mxPort = FreePorts.next();
        dns = TestDnsServer.start("test");
        dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.2");
        sink = MxSink.start("127.0.0.2", mxPort);
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        daemon = TestDaemon.in(Files.createDirectories(dir.resolve("d"))).dns(dns)
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none\ndsn: false")
                .listener(listenerYaml).admin("token_file: " + token).start();
        return daemon.config().toString();
    }

    @Test
    void shouldSuppressWhatAnOperatorAddsAndListIt() throws Exception {
        String config = start();
        CliRun add = CliRun.sluice("suppress", "add", "--config", config, "Nobody@Dest.test", "--reason",
                "userunknown");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("\"added\":1");
        assertThat(CliRun.sluice("suppress", "add", "--config", config, "only@dest.test", "--scope", "sender-domain",
                "--value", "news.example").exit()).isZero();

        CliRun list = CliRun.sluice("suppress", "list", "--config", config);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("address,scope,scope_value,reason,source,added,expires")
                .contains("nobody@dest.test,global,,userunknown,operator,")
                .contains("only@dest.test,sender-domain,news.example,undefined,operator,");

        try (SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            submit(c, "app@shop.example", "nobody@dest.test");
            submit(c, "app@news.example", "only@dest.test");
            submit(c, "app@shop.example", "only@dest.test");
        }
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(Files.readString(daemon.eventLog()), e);
        }
        Thread.sleep(500);
        assertThat(sink.messages()).hasSize(1);
        assertThat(sink.messages().get(0).sender()).as("only the other sender's mail to it went")
                .isEqualTo("app@shop.example");
        assertThat(sink.rcptAttempts("nobody@dest.test")).isZero();
        assertThat(AdminHttp.metric(daemon.adminPort(), "sluice_suppression_entries")).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> AdminHttp.metric(daemon.adminPort(),
                "sluice_suppressed_recipients_total") == 2.0);

        CliRun remove = CliRun.sluice("suppress", "remove", "--config", config, "nobody@dest.test");
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(remove.out()).contains("\"removed\":1");
        assertThat(CliRun.sluice("suppress", "list", "--config", config, "--address", "nobody@dest.test").out())
                .doesNotContain("nobody@dest.test,");
    }

    private static void submit(SmtpClient c, String sender, String recipient) throws Exception {
        submit(c, sender, recipient, "");
    }

    private static void submit(SmtpClient c, String sender, String recipient, String headers) throws Exception {
        c.send("MAIL FROM:<" + sender + ">\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send((headers + "Subject: s\r\n\r\nhello\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("250 2.0.0");
    }

    @Test
    void shouldRefuseASuppressedRecipientAtRcptOnAListenerThatSaysReject() throws Exception {
        String config = start("suppressed: reject");
        assertThat(CliRun.sluice("suppress", "add", "--config", config, "gone@dest.test", "--reason",
                "userunknown").exit()).isZero();
        try (SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            c.send("MAIL FROM:<app@shop.example>\r\nRCPT TO:<gone@dest.test>\r\nRCPT TO:<fine@dest.test>\r\n"
                    + "DATA\r\n");
            List<String> replies = c.replies(4);
            assertThat(replies.get(1)).isEqualTo("550 5.7.1 <gone@dest.test>: Recipient address rejected: on the "
                    + "suppression list (userunknown)");
            assertThat(replies.get(2)).startsWith("250");
            assertThat(replies.get(3)).startsWith("354");
            c.send("Subject: s\r\n\r\nhello\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
        assertThat(sink.rcptAttempts("gone@dest.test")).isZero();
        assertThat(sink.rcptAttempts("fine@dest.test")).isEqualTo(1);
    }

    @Test
    void shouldImportAndExportTheSameEntriesAndRefuseABadLine() throws Exception {
        String config = start();
        List<String> lines = new ArrayList<>(List.of("address,scope,scope_value,reason,source,added,expires"));
        for (int i = 0; i < 1_000; i++) {
            lines.add("user" + i + "@dest.test," + (i % 2 == 0 ? "global," : "auth,app1") + ",mailboxfull,,"
                    + "2026-01-02T03:04:05Z,");
        }
        Path csv = dir.resolve("in.csv");
        Files.write(csv, lines);
        CliRun imported = CliRun.sluice("suppress", "import", "--config", config, csv.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();

        Path out = dir.resolve("out.csv");
        CliRun exported = CliRun.sluice("suppress", "export", "--config", config, out.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        List<String> back = Files.readAllLines(out);
        assertThat(back.get(0)).isEqualTo(lines.get(0));
        assertThat(back).hasSize(1_001);
        assertThat(back).contains("user0@dest.test,global,,mailboxfull,import,2026-01-02T03:04:05Z,",
                "user1@dest.test,auth,app1,mailboxfull,import,2026-01-02T03:04:05Z,");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "ok@dest.test\nnot-an-address\n");
        CliRun refused = CliRun.sluice("suppress", "import", "--config", config, bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("line 2: not an address");
        assertThat(CliRun.sluice("suppress", "list", "--config", config, "--address", "ok@dest.test").out())
                .as("all or nothing").doesNotContain("ok@dest.test,");
    }

    @Test
    void shouldHoldBackMailWhoseHeaderFromIsInAFromDomainEntry() throws Exception {
        String config = start();
        CliRun add = CliRun.sluice("suppress", "add", "--config", config, "x@dest.test", "--scope", "from-domain",
                "--value", "Brand.Example");
        assertThat(add.exit()).as(add.err()).isZero();
        try (SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            submit(c, "bounces@esp.example", "x@dest.test", "From: \"Brand\" <news@BRAND.example>\r\n");
            submit(c, "bounces@esp.example", "x@dest.test", "From: other@shop.example (Shop)\r\n");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> AdminHttp.metric(daemon.adminPort(),
                "sluice_suppressed_recipients_total") == 1.0);
        Thread.sleep(300);
        assertThat(sink.messages()).singleElement().satisfies(m ->
                assertThat(new String(m.bytes(), StandardCharsets.UTF_8)).contains("From: other@shop.example"));
        assertThat(Files.readString(daemon.eventLog())).contains("\"type\":\"suppressed\"");
    }
}
