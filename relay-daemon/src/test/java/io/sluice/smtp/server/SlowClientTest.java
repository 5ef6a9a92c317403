package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients against the real daemon over loopback with raw sockets: a client that trickles a byte
 * at a time is cut off at the whole-command deadline, the DATA rate or the DATA deadline, although no single read
 * ever waits as long as the idle timeouts; and stalled sessions at {@code smtp.max_connections} give way to a client
 * that moves mail.
 */
class SlowClientTest {

    @TempDir
    Path dir;

    /** Writes the tricklers' bytes, so the test thread only reads replies. */
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTrickling() {
        trickler.shutdownNow();
    }

    /** Sends {@code text} one byte every {@code intervalMs}, from now; stops at the end or when the socket fails. */
    private void trickle(SmtpClient client, String text, long intervalMs) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int[] next = {0};
        trickler.scheduleAtFixedRate(() -> {
            if (next[0] >= bytes.length) {
                throw new IllegalStateException("done"); // ends this schedule
            }
            try {
                client.send(new byte[] {bytes[next[0]++]});
            } catch (IOException e) {
                throw new IllegalStateException(e); // the server closed: ends this schedule
            }
        }, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Test
    void shouldCutOffCommandTrickledPastCommandTimeout() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("command_timeout: 1s").start(); SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220");
            long start = System.nanoTime();
            // 30 bytes at 250 ms: every read well inside command_timeout, the whole line 7.5 s.
            trickle(c, "EHLO trickle.client.example\r\n", 250);
            assertThat(c.reply()).isEqualTo("421 4.4.2 Error: timeout exceeded: command not complete within "
                    + "smtp.command_timeout");
            assertThat(elapsedMillis(start)).isBetween(900L, 3000L);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void shouldKeepIdleBetweenCommandsBoundedByCommandTimeout() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("command_timeout: 1500ms").start();
                SmtpClient c = daemon.connect()) {
            c.reply();
            // Whole commands sent in one write each, 1 s apart: each one completes and resets the clock.
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 Ok");
                Thread.sleep(1000);
            }
            long start = System.nanoTime();
            assertThat(c.reply()).startsWith("421 4.4.2 Error: timeout exceeded");
            assertThat(elapsedMillis(start)).isBetween(200L, 2500L);
        }
    }

    @Test
    void shouldCutOffDataBelowMinimumRate() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("data_timeout: 1s\nmin_data_rate: 100").start();
                SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            assertThat(c.replies(4)).last().asString().startsWith("354");
            long start = System.nanoTime();
            // One byte per 250 ms: 4 B/s, each read inside data_timeout, far below 100 B/s.
            trickle(c, "Subject: slow\r\n\r\n" + "x".repeat(200) + "\r\n.\r\n", 250);
            assertThat(c.reply()).isEqualTo("421 4.4.2 Error: timeout exceeded: message text slower than "
                    + "smtp.min_data_rate");
            assertThat(elapsedMillis(start)).isBetween(900L, 3000L);
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).as("nothing acknowledged, nothing journalled").isEmpty();
    }

    @Test
    void shouldCutOffDataPastDataDeadline() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("data_timeout: 1s\nmin_data_rate: 100\ndata_deadline: 2s")
                .start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\nSubject: long\r\n\r\n");
            assertThat(c.replies(4)).last().asString().startsWith("354");
            long start = System.nanoTime();
            // 100-byte lines every 100 ms: 1,000 B/s, ten times the minimum rate, but never ending.
            String line = "y".repeat(98) + "\r\n";
            String reply = null;
            while (reply == null && elapsedMillis(start) < 6000) {
                c.send(line);
                Thread.sleep(100);
                if (c.socket().getInputStream().available() > 0) {
                    reply = c.reply();
                }
            }
            assertThat(reply).isEqualTo("421 4.4.2 Error: timeout exceeded: message not complete within "
                    + "smtp.data_deadline");
            assertThat(elapsedMillis(start)).isBetween(1900L, 4000L);
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldAcceptMessageFromMovingClientWhileCommandTricklersFillConnectionCap() throws Exception {
        // Command tricklers never finish a command line (command_timeout is long, so only eviction frees a slot).
        assertMovingClientGetsSlot(false);
    }

    @Test
    void shouldAcceptMessageFromMovingClientWhileDataTricklersFillConnectionCap() throws Exception {
        // DATA tricklers send a byte every 200 ms, below min_data_rate but within data_timeout for the whole test:
        // their bytes arrive, but the rate credit they lose is their stall.
        assertMovingClientGetsSlot(true);
    }

    @Test
    void shouldServeClientsMovingMailWhileTwentyAddressesHoldEveryConnection() throws Exception {
        // The lock-out at a tenth of its scale: 20 addresses x 10 trickling sessions fill max_connections.
        int addresses = 20;
        int perAddress = 10;
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_connections: " + addresses * perAddress
                + "\nmax_connections_per_ip: " + perAddress + "\ncommand_timeout: 1m\nevict_stalled_after: 1s")
                .start()) {
            List<SmtpClient> slow = new ArrayList<>();
            try {
                for (int a = 0; a < addresses; a++) {
                    for (int i = 0; i < perAddress; i++) {
                        SmtpClient s = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.1." + (10 + a));
                        slow.add(s);
                        assertThat(s.reply()).startsWith("220");
                        trickle(s, "HELO" + " ".repeat(400), 500);
                    }
                }
                Thread.sleep(1500);
                for (int m = 0; m < 5; m++) {
                    try (SmtpClient mover = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.5")) {
                        assertThat(mover.reply()).as("mover " + m).startsWith("220");
                        mover.send("EHLO mover\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
                        assertThat(mover.replies(4)).last().asString().startsWith("354");
                        mover.send("Subject: moving " + m + "\r\n\r\nhello\r\n.\r\n");
                        assertThat(mover.reply()).startsWith("250 2.0.0 Ok: queued as ");
                        assertThat(mover.command("QUIT")).startsWith("221");
                    }
                }
            } finally {
                for (SmtpClient s : slow) {
                    s.close();
                }
            }
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).hasSize(5);
    }

    /**
     * Six slots, three per address: two "attacking" addresses fill every slot with trickling sessions; a seventh
     * connection is refused while none has stalled for evict_stalled_after, and a client that moves mail gets a slot
     * once they have.
     */
    private void assertMovingClientGetsSlot(boolean inData) throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("""
                max_connections: 6
                max_connections_per_ip: 3
                command_timeout: 1m
                data_timeout: 1m
                min_data_rate: 100
                evict_stalled_after: 5s""").start()) { // long enough to set up six tricklers on a loaded machine
            List<SmtpClient> slow = new ArrayList<>();
            try {
                for (String address : List.of("127.0.0.2", "127.0.0.3")) {
                    for (int i = 0; i < 3; i++) {
                        SmtpClient s = new SmtpClient("127.0.0.1", daemon.smtpPort(), address);
                        slow.add(s);
                        assertThat(s.reply()).startsWith("220");
                        if (inData) {
                            s.send("EHLO s\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
                            assertThat(s.replies(4)).last().asString().startsWith("354");
                            trickle(s, "x".repeat(400), 200);
                        } else {
                            trickle(s, "NOOP" + " ".repeat(400), 200);
                        }
                    }
                }
                try (SmtpClient late = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.4")) {
                    assertThat(late.reply()).as("at the cap, no session stalled long enough yet")
                            .isEqualTo("421 4.7.0 Error: too many connections");
                }
                Thread.sleep(5500);
                try (SmtpClient mover = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.5")) {
                    assertThat(mover.reply()).startsWith("220");
                    mover.send("EHLO mover\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
                    assertThat(mover.replies(4)).last().asString().startsWith("354");
                    mover.send("Subject: moving\r\n\r\nhello\r\n.\r\n");
                    assertThat(mover.reply()).startsWith("250 2.0.0 Ok: queued as ");
                    assertThat(mover.command("QUIT")).startsWith("221");
                }
                Thread.sleep(300); // the victim's 421 was written on its own event loop
                int evicted = 0;
                for (SmtpClient s : slow) {
                    if (s.socket().getInputStream().available() > 0) {
                        assertThat(s.reply()).isEqualTo("421 4.7.0 Error: too many connections, closing a stalled "
                                + "session");
                        evicted++;
                    }
                }
                assertThat(evicted).as("one stalled session gave its slot to the mover").isEqualTo(1);
            } finally {
                for (SmtpClient s : slow) {
                    s.close();
                }
            }
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).as("only the mover's message").hasSize(1);
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
