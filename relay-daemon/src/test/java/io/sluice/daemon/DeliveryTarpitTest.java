package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TarpitMx;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One slow destination never takes the slots the others need (issue "reliability debts" B5), end to end: 40
 * tarpitting MX sites (they accept and never greet) with mail for each, beside one healthy site, on a daemon whose
 * global cap ({@code queue.max_in_flight}) is far below what the tarpits could hold. The healthy site's mail keeps
 * being delivered within seconds while every tarpit connection waits out its 30 s greeting timeout.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryTarpitTest {
    private static final int TARPIT_SITES = 40;
    private static final int PER_TARPIT = 3;
    private static final int MAX_IN_FLIGHT = 16;
    private static final long HEALTHY_WITHIN_MS = 3_000;

    @TempDir
    Path dir;

    @Test
    void shouldKeepDeliveringToAHealthySiteWhileTarpitsHoldTheirConnections() throws Exception {
        int port = FreePorts.next();
        List<String> tarpitAddresses = new ArrayList<>();
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("healthy.test", 10, "mx.healthy.test").a("mx.healthy.test", "127.0.0.2");
            for (int i = 1; i <= TARPIT_SITES; i++) {
                String address = "127.0.3." + i;
                tarpitAddresses.add(address);
                dns.mx("tarpit" + i + ".test", 10, "mx.tarpit" + i + ".test").a("mx.tarpit" + i + ".test", address);
            }
            TarpitMx tarpits = TarpitMx.start(tarpitAddresses, port);
            try (MxSink healthy = MxSink.start("127.0.0.2", port);
                 TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                         .delivery("mx_port: " + port + "\nallow_private_mx: true\ngreeting_timeout: 30s")
                         .queue("max_in_flight: " + MAX_IN_FLIGHT).start();
                 Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                s.submit("first@client.test", "u@healthy.test");
                await().atMost(Duration.ofSeconds(10)).until(() -> healthy.messages().size() == 1);

                for (int i = 1; i <= TARPIT_SITES; i++) {
                    for (int j = 0; j < PER_TARPIT; j++) {
                        s.submit("t" + i + "-" + j + "@client.test", "u" + j + "@tarpit" + i + ".test");
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> tarpits.connections() >= MAX_IN_FLIGHT / 2);
                Thread.sleep(1_000); // every slot the tarpits may take is taken by now

                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String id = "healthy" + i + "@client.test";
                    long start = System.nanoTime();
                    s.submit(id, "u" + i + "@healthy.test");
                    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20))
                            .until(() -> healthy.countsByMessageId().containsKey(id));
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                }
                assertThat(tarpits.connections()).as("the tarpits still hold connections, none timed out yet")
                        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
                assertThat(latencies).as("healthy site's delivery latencies (ms) while tarpits hold slots")
                        .allMatch(ms -> ms < HEALTHY_WITHIN_MS);
            } finally {
                tarpits.close(); // the held connections fail now, so the daemon stops without waiting them out
            }
        }
    }
}
