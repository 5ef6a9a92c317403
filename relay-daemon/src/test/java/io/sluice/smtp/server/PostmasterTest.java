package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RCPT TO:<postmaster>} without a domain (RFC 5321 4.5.1), over real loopback SMTP: routed to
 * {@code smtp.postmaster_address} when set, refused at RCPT with a reply naming the key when not (never accepted
 * and then deferred for want of a domain).
 */
class PostmasterTest {

    @TempDir
    Path dir;

    @Test
    void shouldRouteBarePostmasterToTheConfiguredAddress() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("postmaster_address: ops@dest.test").start();
             SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<PostMaster>\r\nRCPT TO:<postmaster>\r\nDATA\r\n"
                    + "Subject: hi\r\n\r\nx\r\n.\r\n");
            List<String> replies = c.replies(6);
            assertThat(replies.subList(1, 4)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok");
            assertThat(replies.get(5)).startsWith("250 2.0.0 Ok: queued as ");
        }
        StoredMessages.Stored message = StoredMessages.read(dir.resolve("journal")).get(0);
        assertThat(message.recipients()).as("a repeated <postmaster> is one delivery").containsExactly("ops@dest.test");
    }

    @Test
    void shouldRefuseBarePostmasterNamingTheKeyWhenNoneIsConfigured() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO c");
            assertThat(c.command("MAIL FROM:<a@client.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<postmaster>")).isEqualTo("550 5.1.1 <postmaster>: Recipient address "
                    + "rejected: no postmaster address is configured (smtp.postmaster_address)");
            assertThat(c.command("RCPT TO:<postmaster@dest.test>")).as("an ordinary address").isEqualTo("250 2.1.5 Ok");
        }
    }
}
