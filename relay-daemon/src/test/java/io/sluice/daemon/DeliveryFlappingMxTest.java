package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.RefusingMx;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flapping MX (issue "reliability debts" B6): a site that took mail a moment ago, then refused enough connections
 * to be declared dead, is probed after seconds, not after {@code queue.dead_site_first_probe} (1 minute by default),
 * so its mail flows again soon after the MX comes back; the revived site reopens its concurrency gradually.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryFlappingMxTest {
    private static final int HELD = 5;

    @TempDir
    Path dir;

    @Test
    void shouldProbeARecentlyHealthySiteSoonAfterItDied() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("flap.test", 10, "mx.flap.test").a("mx.flap.test", "127.0.0.2");
            MxSink up = MxSink.start("127.0.0.2", port);
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + port + "\nallow_private_mx: true\nretry:\n  first: 200ms\n  max: 1s")
                    .start();
                 Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                s.submit("before@client.test", "a@flap.test");
                await().atMost(Duration.ofSeconds(10)).until(() -> up.messages().size() == 1);
                up.close();

                RefusingMx down = RefusingMx.start("127.0.0.2", port); // greets 421: the site refuses us
                for (int i = 0; i < HELD; i++) {
                    s.submit("held" + i + "@client.test", "u" + i + "@flap.test");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> down.connections() >= 3); // dead now
                Thread.sleep(300);
                down.close();
                long backAt = System.nanoTime();
                try (MxSink again = MxSink.start("127.0.0.2", port)) {
                    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                            .until(() -> again.messages().size() == HELD);
                    long tookMs = (System.nanoTime() - backAt) / 1_000_000;
                    assertThat(tookMs).as("held mail delivered after the MX came back (ms); a full first probe"
                            + " interval would be 60,000").isLessThan(15_000);
                    assertThat(again.countsByMessageId().values()).allMatch(n -> n == 1);
                }
            }
        }
    }
}
