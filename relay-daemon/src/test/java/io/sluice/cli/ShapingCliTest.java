package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.ShapingState;
import io.sluice.testing.MxSink;
import io.sluice.testing.FreePorts;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice shaping show}, {@code status} and {@code resume --provider} in-process against a real daemon on
 * loopback with the shipped conf/shaping.yaml: a domain hosted at Google's MX names (served by a test DNS server,
 * delivered to a sink on 127.0.0.2) is shown as gmail with its limits and rules, offline and live; a suspension
 * persisted in the journal directory (as automation leaves it) is in force after the start, shown by status, holds
 * the mail, and ends at {@code resume --provider gmail}, after which the mail goes.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShapingCliTest {
    private static final String TOKEN = "shaping-admin-token-0123456789";
    private static final Path SHIPPED_SHAPING = Path.of(System.getProperty("basedir", "."), "..", "conf",
            "shaping.yaml").toAbsolutePath().normalize();

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

    private TestDaemon.Builder builder(int mxPort) throws Exception {
        dns = TestDnsServer.start("com"); // Google's MX name, served on loopback; nothing leaves the machine
        dns.mx("gm.example.com", 10, "gmail-smtp-in.l.google.com").a("gmail-smtp-in.l.google.com", "127.0.0.2");
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path in = Files.createDirectories(dir.resolve("d"));
        return TestDaemon.in(in).dns(dns)
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none")
                .admin("token_file: " + token)
                .topLevel("shaping:\n  file: " + SHIPPED_SHAPING + "\n  overrides: " + overrides() + "\n");
    }

    /** The test sink speaks no TLS: gmail's tls: required would defer everything. */
    private Path overrides() throws Exception {
        Path file = dir.resolve("local-shaping.yaml");
        Files.writeString(file, "providers:\n  - name: gmail\n    tls: none\n");
        return file;
    }

    @Test
    void shouldShowTheProviderLimitsAndRulesOfADomainOffline() throws Exception {
        Path config = builder(FreePorts.next()).writeConfig();

        CliRun run = CliRun.sluice("shaping", "show", "--domain", "GM.example.com", "--offline", "--config",
                config.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("site      gmail-smtp-in.l.google.com")
                .contains("provider  gmail")
                .contains("per (source, site):     connections 5, message rate 100/s")
                .contains("per (source, provider): connections 5")
                .contains("provider total:         connections 50")
                .contains("4\\.7\\.28|unusual rate", "message_rate 10/min for 30m")
                .contains("(offline: not known)");
    }

    @Test
    void shouldKeepAPersistedSuspensionUntilAnOperatorResumesTheProvider() throws Exception {
        int mxPort = FreePorts.next();
        sink = MxSink.start("127.0.0.2", mxPort);
        TestDaemon.Builder b = builder(mxPort);
        Path journal = dir.resolve("d").resolve("journal");
        Files.createDirectories(journal);
        long now = System.currentTimeMillis();
        new ShapingState(List.of(new ShapingState.Entry("default", "provider gmail", "gmail", now, now + 3_600_000,
                true, null, 0, "4\\.7\\.28", "421 4.7.28 unusual rate"))).write(journal);
        daemon = b.start();

        CliRun status = CliRun.admin(daemon, "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("SHAPING ACTION").contains("suspend").contains("provider gmail");
        CliRun show = CliRun.sluice("shaping", "show", "--config", daemon.config().toString(), "--domain",
                "gm.example.com");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("provider  gmail").contains("suspended").contains("suspend until");

        try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
            s.submit("held@client.test", "user@gm.example.com");
        }
        Thread.sleep(1_500);
        assertThat(sink.messages()).as("suspended: nothing goes to gmail").isEmpty();

        CliRun unknown = CliRun.admin(daemon, "resume", "--provider", "gmial");
        assertThat(unknown.exit()).as("a typo is refused, not a silent 0").isEqualTo(1);
        assertThat(unknown.err()).contains("sluice resume").contains("no provider gmial");
        CliRun resumed = CliRun.admin(daemon, "resume", "--provider", "gmail");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).isEqualTo("resume provider gmail: 1 shaping action lifted\n");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.messages().size() == 1);
        assertThat(CliRun.admin(daemon, "status").out()).doesNotContain("SHAPING ACTION");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                ShapingState.read(journal, System.currentTimeMillis()).actions().isEmpty());
        assertThat(Files.readString(daemon.eventLog())).contains("\"type\":\"shaping\"")
                .contains("\"action\":\"lifted\"");
    }
}
