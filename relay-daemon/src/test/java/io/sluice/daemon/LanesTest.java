package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority lanes end to end (the numbers: 50,000 bulk, 200 transactional): a backlog of bulk mail on a slow
 * sink (20 ms per message) that takes two connections
 * does not hold up transactional mail routed by its {@code X-Sluice-Stream} header to the transactional lane
 * (weight 4 to bulk's 1): the transactional messages are all delivered while most of the bulk backlog still waits,
 * and bulk keeps moving meanwhile (weighted, never strict priority). Without lanes the queue is FIFO and the
 * transactional mail would wait behind the whole backlog.
 */
class LanesTest {
    private static final int BULK = 50_000;
    private static final int TRANSACTIONAL = 200;
    /** Client connections that submit the bulk backlog in parallel (to build it in seconds). */
    private static final int BULK_CLIENTS = 4;

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
                submitBulk(daemon);
                long bulkBefore = count(mx, "bulk");
                long txStart = System.nanoTime();
                for (int i = 0; i < TRANSACTIONAL; i++) {
                    Submitter.submitTagged(c, "tx" + i, "dest.test", "transactional");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> count(mx, "tx") == TRANSACTIONAL);
                long txSeconds = (System.nanoTime() - txStart) / 1_000_000_000L;
                System.out.println(TRANSACTIONAL + " transactional delivered in " + txSeconds + " s past a backlog of "
                        + (BULK - bulkBefore) + " bulk");
                assertThat(txSeconds).as("all transactional mail within a few seconds").isLessThanOrEqualTo(10);
                long bulkSince = count(mx, "bulk") - bulkBefore;
                System.out.println("bulk delivered while the transactional ones went: " + bulkSince + " (before: "
                        + bulkBefore + ")");
                assertThat(bulkBefore).as("a backlog was left when the transactional mail came").isLessThan(BULK - 300);
                // 4:1 lets about 50 bulk go with 200 transactional; FIFO would deliver the whole backlog first.
                assertThat(bulkSince).as("the transactional lane goes past the bulk backlog").isLessThan(300);
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

    /** The bulk backlog, over {@link #BULK_CLIENTS} connections at once. */
    private static void submitBulk(TestDaemon daemon) throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(BULK_CLIENTS);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int k = 0; k < BULK_CLIENTS; k++) {
                int client = k;
                done.add(clients.submit(() -> {
                    try (SmtpClient b = daemon.connect()) {
                        b.reply();
                        b.command("EHLO bulk.client.test");
                        for (int i = client; i < BULK; i += BULK_CLIENTS) {
                            Submitter.submitTagged(b, "bulk" + i, "dest.test", null);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static long count(MxSink mx, String prefix) {
        return mx.messages().stream().filter(m -> m.messageId() != null && m.messageId().startsWith(prefix)).count();
    }
}
