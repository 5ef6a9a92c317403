package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.JournalSettings;
import io.sluice.journal.Journal;
import io.sluice.journal.Recovery;
import io.sluice.testing.FreePorts;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Shutdown keeps the results of deliveries in flight (docs/architecture.md "Shutdown"): the daemon is stopped while the
 * next hop holds back its reply to the final dot for a second; the stop waits for that reply and records the OUTCOME,
 * so the recovered journal has nothing pending and a restart would not deliver the message again.
 */
class DeliveryShutdownTest {
    private static final long DOT_REPLY_DELAY_MILLIS = 1_000;

    @TempDir
    Path dir;

    @Test
    void shouldRecordTheOutcomeOfADeliveryInFlightWhenStopping() throws Exception {
        int mxPort = FreePorts.next();
        CountDownLatch inData = new CountDownLatch(1);
        List<byte[]> received = new CopyOnWriteArrayList<>();
        SMTPServer sink = new SMTPServer.Builder()
                .bindAddress(InetAddress.getByName("127.0.0.2"))
                .port(mxPort)
                .hostName("mx.slow.test")
                .messageHandlerFactory(context -> slowHandler(inData, received))
                .build();
        sink.start();
        Path journalDir;
        long stopMillis;
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").start()) {
                journalDir = daemon.journalDir();
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    c.send("MAIL FROM:<sender@client.test>\r\nRCPT TO:<user@slow.test>\r\nDATA\r\n");
                    assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send("Subject: slow\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                    assertThat(c.command("QUIT")).startsWith("221");
                }
                assertThat(inData.await(10, TimeUnit.SECONDS)).as("delivery reached the final dot").isTrue();
                long start = System.nanoTime();
                daemon.close(); // mid-delivery: the sink answers the dot a second later
                stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        } finally {
            sink.stop();
        }

        assertThat(received).as("delivered once").hasSize(1);
        assertThat(stopMillis).as("the stop waited for the reply, within the grace")
                .isLessThan(DeliveryStage.IN_FLIGHT_GRACE_MILLIS);
        try (Journal journal = Journal.open(new JournalSettings(journalDir, JournalSettings.SyncPolicy.NONE, 0,
                Duration.ofMinutes(1)), 20L << 20)) {
            assertThat(Recovery.recover(journal).pending().pendingRecipients())
                    .as("OUTCOME recorded: nothing left to deliver again after restart").isZero();
        }
    }

    /** Takes the message, then holds back the reply to the final dot (returning from data sends the 250). */
    private static MessageHandler slowHandler(CountDownLatch inData, List<byte[]> received) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public String data(InputStream data) throws IOException {
                byte[] bytes = data.readAllBytes();
                inData.countDown();
                try {
                    Thread.sleep(DOT_REPLY_DELAY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                received.add(bytes);
                return null;
            }

            @Override
            public void done() {
            }
        };
    }
}
