package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority lanes end to end: a backlog of bulk mail on a slow sink (20 ms per message) that takes two connections
 * does not hold up transactional mail routed by its {@code X-Sluice-Stream} header to the transactional lane
 * (weight 4 to bulk's 1): the transactional messages are all delivered while most of the bulk backlog still waits,
 * and bulk keeps moving meanwhile (weighted, never strict priority). Without lanes the queue is FIFO and the
 * transactional mail would wait behind the whole backlog.
 */
class LanesTest {
    private static final int BULK = 1_500;
    private static final int TRANSACTIONAL = 100;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverTransactionalMailPastABulkBacklogWhileBulkKeepsFlowing() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink mx = MxSink.start("127.0.0.9", mxPort).delayEachReply(20)) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.9");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\nmax_connections_per_site: 2")
                    .topLevel("""
                            routes:
                              - name: transactional
                                match: {streams: [transactional]}
                                lane: transactional
                                pool: default
                              - name: default
                                lane: bulk
                                pool: default
                            """).start();
                 SmtpClient c = daemon.connect()) {
                c.reply();
                c.command("EHLO app.client.test");
                for (int i = 0; i < BULK; i++) {
                    send(c, "bulk" + i, null);
                }
                long bulkBefore = count(mx, "bulk");
                for (int i = 0; i < TRANSACTIONAL; i++) {
                    send(c, "tx" + i, "transactional");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> count(mx, "tx") == TRANSACTIONAL);
                long bulkSince = count(mx, "bulk") - bulkBefore;
                System.out.println("bulk delivered while the transactional ones went: " + bulkSince + " (before: "
                        + bulkBefore + ")");
                assertThat(bulkBefore).as("a backlog was left when the transactional mail came").isLessThan(BULK - 300);
                // 4:1 lets about 25 bulk go with 100 transactional; FIFO would deliver the whole backlog first.
                assertThat(bulkSince).as("the transactional lane goes past the bulk backlog").isLessThan(150);
                List<MxSink.Received> got = List.copyOf(mx.messages());
                int firstTx = -1;
                int lastTx = -1;
                for (int i = 0; i < got.size(); i++) {
                    if (got.get(i).messageId().startsWith("tx")) {
                        firstTx = firstTx < 0 ? i : firstTx;
                        lastTx = i;
                    }
                }
                long bulkBetween = got.subList(firstTx, lastTx + 1).stream()
                        .filter(m -> m.messageId().startsWith("bulk")).count();
                System.out.println("bulk delivered during the transactional ones: " + bulkBetween);
                assertThat(bulkBetween).as("bulk still moves during the transactional flood").isPositive();
            }
        }
    }

    private static long count(MxSink mx, String prefix) {
        return mx.messages().stream().filter(m -> m.messageId() != null && m.messageId().startsWith(prefix)).count();
    }

    /** One pipelined transaction; {@code stream}: the X-Sluice-Stream header, or none. */
    private static void send(SmtpClient c, String id, String stream) throws Exception {
        c.send("MAIL FROM:<app@client.test>\r\nRCPT TO:<" + id + "@dest.test>\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send((stream == null ? "" : "X-Sluice-Stream: " + stream + "\r\n") + "Message-ID: <" + id
                + "@client.test>\r\nSubject: " + id + "\r\n\r\nbody\r\n.\r\n");
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
    }
}
