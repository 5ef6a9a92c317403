package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 8: AUTH failures are throttled per (client address, user), with a higher ceiling per address. Two
 * applications share a host (127.0.0.5); one has a wrong password and, after {@code max_failures_per_ip} (5)
 * failures, gets {@code 454 4.7.0}; the other still logs in with {@code 235}. Before, the first one's failures
 * locked both out for a minute. The address's ceiling (4 x 5 failures over all names) still stops a client that
 * guesses across many user names, right password or not.
 */
class AuthThrottlePerUserTest {
    private static final int ITERATIONS = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldThrottleTheFailingUserOnlyAndStopAGuesserAtTheAddressCeiling() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users,
                UsersFile.formatLine("app1", PasswordHash.hash("right-one".toCharArray(), ITERATIONS)) + "\n"
                + UsersFile.formatLine("app2", PasswordHash.hash("right-two".toCharArray(), ITERATIONS)) + "\n");
        try (TestDaemon d = TestDaemon.in(dir).listener("tls: none\nauth:\n  enabled: true\n  users_file: " + users
                + "\n  allow_plaintext: true\n  cache_ttl: 0s\n  max_failures_per_ip: 5").start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(auth(d, "app1", "wrong")).as("failure %d", i + 1).startsWith("535 5.7.8");
            }
            assertThat(auth(d, "app1", "right-one")).as("app1 is throttled").startsWith("454 4.7.0");
            assertThat(auth(d, "app2", "right-two")).as("app2 on the same host is not").startsWith("235 2.7.0");

            for (int u = 0; u < 3; u++) { // 15 more failures over three other names: 20, the address's ceiling
                for (int i = 0; i < 5; i++) {
                    assertThat(auth(d, "guess" + u, "wrong")).startsWith("535 5.7.8");
                }
            }
            assertThat(auth(d, "app2", "right-two")).as("the address's ceiling covers every name")
                    .startsWith("454 4.7.0");
        }
    }

    /** One AUTH PLAIN from 127.0.0.5 on a fresh connection (so smtp.max_errors never closes one on us). */
    private static String auth(TestDaemon d, String user, String password) throws IOException {
        try (SmtpClient c = new SmtpClient("127.0.0.1", d.smtpPort(), "127.0.0.5")) {
            c.reply();
            c.command("EHLO app.client.test");
            return c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                    ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)));
        }
    }
}
