package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import io.sluice.testing.Tmpfs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 3: the journal gives back the space of delivered mail. The journal lives on a 64 MiB tmpfs with
 * {@code journal.min_free: 24MiB}; messages of 512 KiB go in (and out to a real sink) until MAIL is answered
 * {@code 452 4.3.1}. Once everything is delivered the cycle that holds it must be rolled and deleted, so that,
 * without a restart, MAIL gets {@code 250} again within about a minute ({@code bodies/} rolls every minute); and
 * after a restart with nothing pending {@code /readyz} answers 200 and MAIL 250 as soon (before the fix both stayed
 * refused for good: the whole fill sat in the cycle the appender still held).
 *
 * <p>Skipped where a tmpfs cannot be mounted ({@link Tmpfs}).
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JournalSpaceReturnTest {
    private static final int TMPFS_MIB = 64;
    private static final int BODY_BYTES = 512 * 1024;
    private static final int MAX_MESSAGES = 200;
    /** One-minute cycles: the fill's cycle ends within a minute of delivery, then a second for the check. */
    private static final Duration SPACE_BACK_WITHIN = Duration.ofSeconds(75);

    @TempDir
    Path dir;

    @Test
    void shouldAcceptMailAgainWithoutRestartOnceTheFillIsDelivered() throws Exception {
        int mxPort = FreePorts.next();
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("journal"), TMPFS_MIB);
             TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("fill.test", 10, "mx.fill.test").a("mx.fill.test", "127.0.0.2");
            try (TestDaemon daemon = daemon(dns, mxPort).start()) {
                int accepted = fillUntilRefused(daemon);
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.messages().size() >= accepted);
                long delivered = System.nanoTime();
                await().atMost(SPACE_BACK_WITHIN).pollInterval(Duration.ofMillis(500))
                        .until(() -> mailReply(daemon).startsWith("250"));
                System.out.printf("space given back %d ms after the last delivery, %d bytes free%n",
                        (System.nanoTime() - delivered) / 1_000_000, tmpfs.freeBytes());
                assertThat(readyz(daemon)).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldBeReadyAfterRestartWithNothingPending() throws Exception {
        int mxPort = FreePorts.next();
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("journal"), TMPFS_MIB);
             TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("fill.test", 10, "mx.fill.test").a("mx.fill.test", "127.0.0.2");
            try (TestDaemon daemon = daemon(dns, mxPort).start()) {
                int accepted = fillUntilRefused(daemon);
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.messages().size() >= accepted);
                Thread.sleep(500); // the OUTCOMEs reach the journal
            }
            try (TestDaemon restarted = daemon(dns, mxPort).start()) {
                await().atMost(SPACE_BACK_WITHIN).pollInterval(Duration.ofMillis(500))
                        .until(() -> readyz(restarted) == 200);
                assertThat(mailReply(restarted)).startsWith("250");
                System.out.printf("after restart: ready, %d bytes free%n", tmpfs.freeBytes());
            }
        }
    }

    private TestDaemon.Builder daemon(TestDnsServer dns, int mxPort) {
        return TestDaemon.in(dir).dns(dns)
                .smtp("max_message_size: 1MiB")
                .journal("min_free: 24MiB")
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true");
    }

    /**
     * Sends 512 KiB messages until the journal's disk gate answers 452 4.3.1 (at MAIL or RCPT; under load also at
     * the dot, when the free-space figure behind the gate lags and the journal's own reservation refuses); returns
     * how many were accepted, at least one (the disk must have been filled by mail, not short from the start).
     */
    private static int fillUntilRefused(TestDaemon daemon) throws IOException {
        String body = "Subject: fill\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(BODY_BYTES / 1000);
        int accepted = 0;
        try (SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            for (int i = 0; i < MAX_MESSAGES; i++) {
                String mail = c.command("MAIL FROM:<sender@client.test>");
                String refused = mail.startsWith("452") ? mail : null;
                if (refused == null) {
                    assertThat(mail).startsWith("250");
                    String rcpt = c.command("RCPT TO:<user" + i + "@fill.test>");
                    refused = rcpt.startsWith("452") ? rcpt : null;
                    if (refused == null) {
                        assertThat(rcpt).startsWith("250");
                        assertThat(c.command("DATA")).startsWith("354");
                        c.send(body + ".\r\n");
                        String dot = c.reply();
                        refused = dot.startsWith("452") ? dot : null;
                        if (refused == null) {
                            assertThat(dot).startsWith("250 2.0.0");
                            accepted++;
                            continue;
                        }
                    } else {
                        c.command("RSET");
                    }
                }
                assertThat(refused).startsWith("452 4.3.1");
                assertThat(accepted).as("messages accepted before the disk ran short").isPositive();
                return accepted;
            }
        }
        throw new AssertionError("the journal's disk never ran short after " + MAX_MESSAGES + " messages");
    }

    /** The reply to MAIL on a new connection. */
    private static String mailReply(TestDaemon daemon) throws IOException {
        try (SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            return c.command("MAIL FROM:<sender@client.test>");
        }
    }

    private static int readyz(TestDaemon daemon) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.adminPort() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
