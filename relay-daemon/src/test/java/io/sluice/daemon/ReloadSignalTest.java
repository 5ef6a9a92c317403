package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP on a real {@code sluice run} process (what an operator's {@code kill -HUP} or {@code systemctl reload}
 * without the CLI does): a valid change applies to new sessions and is logged; an invalid file is logged with its
 * file:line:key error, the old limit stays, and the daemon keeps serving.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadSignalTest {
    @TempDir
    Path dir;

    @Test
    void shouldReloadOnSighupAndKeepTheOldConfigWhenTheFileIsInvalid() throws Exception {
        Path config = ReloadFixture.writeConfig(TestDaemon.in(dir).smtp("max_recipients: 5"), dir);
        int port = Integer.parseInt(Files.readAllLines(config).stream()
                .filter(l -> l.trim().startsWith("port:")).findFirst().orElseThrow().trim().substring(5).trim());
        try (DaemonProcess daemon = DaemonProcess.start(config)) {
            assertThat(thirdRecipient(port)).startsWith("250");

            ReloadFixture.edit(config, "max_recipients: 5", "max_recipients: 2");
            daemon.signal("HUP");
            assertThat(daemon.awaitLine("config reloaded from", 30)).contains(config.toString());
            assertThat(thirdRecipient(port)).isEqualTo("452 4.5.3 Error: too many recipients");

            ReloadFixture.edit(config, "max_recipients: 2", "max_recipients: 4\n  no_such_key: 1");
            daemon.signal("HUP");
            daemon.awaitLine("config reload refused", 30);
            assertThat(daemon.awaitLine("no_such_key", 5))
                    .contains(config + ":8: smtp.no_such_key: unknown key");
            assertThat(thirdRecipient(port)).as("the old limit of 2 is still in force")
                    .isEqualTo("452 4.5.3 Error: too many recipients");
            try (Submitter s = new Submitter("127.0.0.1", port)) {
                assertThat(s.submit("after-hup@client.test", "a@dest.test")).isNotBlank();
            }
            assertThat(daemon.terminate()).isZero();
        }
    }

    /** The reply to the third RCPT of a new session. */
    private static String thirdRecipient(int port) throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.reply();
            c.command("EHLO hup.test");
            c.command("MAIL FROM:<s@client.test>");
            c.command("RCPT TO:<a@dest.test>");
            c.command("RCPT TO:<b@dest.test>");
            String third = c.command("RCPT TO:<c@dest.test>");
            c.command("QUIT");
            return third;
        }
    }
}
