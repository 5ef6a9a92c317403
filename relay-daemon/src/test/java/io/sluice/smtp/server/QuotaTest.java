package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas per AUTH identity ({@code quotas[]}), end to end: the whole daemon, real AUTH, a sink MX that bounces
 * {@code hard@} recipients with 550. app1's rate (3 an hour) refuses its fourth MAIL with {@code 452 4.7.1};
 * app2's queued ceiling (2 recipients) refuses a third RCPT and then MAIL while two are pending, and lets mail in
 * again once they bounced (final); app3 has no quota.
 */
class QuotaTest {
    private static final int ITERATIONS = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseOverTheRateAndOverTheQueuedCeilingUntilMailIsFinal() throws Exception {
        Path users = dir.resolve("users");
        StringBuilder lines = new StringBuilder();
        for (String u : new String[] {"app1", "app2", "app3"}) {
            lines.append(UsersFile.formatLine(u, PasswordHash.hash("pw".toCharArray(), ITERATIONS))).append('\n');
        }
        Files.writeString(users, lines);
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink mx = MxSink.startFailingHardAndSoft("127.0.0.2", mxPort)) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.2")
                    .mx("slow.test", 10, "mx.slow.test"); // no address: stays deferred, so pending
            try (TestDaemon d = TestDaemon.in(dir).dns(dns)
                    .listener("tls: none\nauth:\n  enabled: true\n  users_file: " + users
                            + "\n  allow_plaintext: true")
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true")
                    .topLevel("""
                            quotas:
                              - {auth_user: app1, max_rate: 3/h}
                              - {auth_user: app2, max_queued: 2}
                            """).start();
                 SmtpClient app1 = login(d, "app1");
                 SmtpClient app2 = login(d, "app2");
                 SmtpClient app3 = login(d, "app3")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(send(app1, "user@slow.test")).as("message %d within the rate", i).startsWith("250 ");
                }
                assertThat(app1.command("MAIL FROM:<a@client.test>")).as("the fourth in the hour")
                        .startsWith("452 4.7.1 Sending rate of this account exceeded (quotas max_rate)");

                assertThat(app2.command("MAIL FROM:<b@client.test>")).isEqualTo("250 2.1.0 Ok");
                assertThat(app2.command("RCPT TO:<hard1@dest.test>")).isEqualTo("250 2.1.5 Ok");
                assertThat(app2.command("RCPT TO:<hard2@dest.test>")).isEqualTo("250 2.1.5 Ok");
                assertThat(app2.command("RCPT TO:<hard3@dest.test>")).as("a third would pass max_queued")
                        .startsWith("452 4.7.1 Too many recipients of this account waiting for delivery");
                assertThat(app2.command("DATA")).startsWith("354");
                assertThat(app2.command("Subject: q\r\n\r\nx\r\n.")).startsWith("250 2.0.0 Ok: queued as ");
                // Until the two bounce (550 at the sink), app2 has two pending: MAIL is refused.
                String refused = app2.command("MAIL FROM:<b@client.test>");
                if (refused.startsWith("452")) {
                    assertThat(refused).contains("(quotas max_queued)");
                } else {
                    assertThat(app2.command("RSET")).startsWith("250"); // they had already bounced
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> mx.rcptAttempts("hard1@dest.test") > 0
                        && mx.rcptAttempts("hard2@dest.test") > 0);
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    String reply = app2.command("MAIL FROM:<b@client.test>");
                    if (reply.startsWith("250")) {
                        app2.command("RSET");
                        return true;
                    }
                    return false;
                });

                for (int i = 0; i < 5; i++) {
                    assertThat(send(app3, "user@slow.test")).as("no quota").startsWith("250 ");
                }
            }
        }
    }

    private static SmtpClient login(TestDaemon d, String user) throws IOException {
        SmtpClient c = d.connect();
        c.reply();
        c.command("EHLO app.client.test");
        assertThat(c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                ("\0" + user + "\0pw").getBytes(StandardCharsets.UTF_8)))).startsWith("235");
        return c;
    }

    /** One transaction; returns the reply to the final dot. */
    private static String send(SmtpClient c, String rcpt) throws IOException {
        assertThat(c.command("MAIL FROM:<a@client.test>")).isEqualTo("250 2.1.0 Ok");
        assertThat(c.command("RCPT TO:<" + rcpt + ">")).isEqualTo("250 2.1.5 Ok");
        assertThat(c.command("DATA")).startsWith("354");
        return c.command("Subject: q\r\n\r\nx\r\n.");
    }
}
