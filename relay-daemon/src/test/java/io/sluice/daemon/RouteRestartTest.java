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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart keeps each message's route: its route inputs (here the {@code X-Sluice-Stream} tag, stripped from the
 * message at accept) are journalled with it, so mail queued before the restart still leaves through its route's pool
 * afterwards: bulk from source b (127.0.0.3), the rest from source a (127.0.0.2).
 */
class RouteRestartTest {
    private static final int EACH = 10;

    @TempDir
    Path dir;

    @Test
    void shouldSendQueuedMailThroughItsRouteAfterARestart() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.9");
            TestDaemon.Builder builder = TestDaemon.in(dir).dns(dns)
                    .queue("  restart_spread: 1s\n") // recovered mail goes at once, not over the default window
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\nretry:\n  first: 1s\n  max: 1s")
                    .topLevel("""
                            sources:
                              - {name: a, address: 127.0.0.2, ehlo_name: a.out.test}
                              - {name: b, address: 127.0.0.3, ehlo_name: b.out.test}
                            pools:
                              - {name: pa, sources: [{source: a, weight: 1}]}
                              - {name: pb, sources: [{source: b, weight: 1}]}
                            routes:
                              - {name: bulk, match: {streams: [bulk]}, pool: pb}
                              - {name: default, pool: pa}
                            """);
            try (TestDaemon first = builder.start();
                 SmtpClient c = first.connect()) {
                c.reply();
                c.command("EHLO client.test");
                for (int i = 0; i < EACH; i++) {
                    Submitter.submitTagged(c, "bulk" + i, "dest.test", "bulk");
                    Submitter.submitTagged(c, "other" + i, "dest.test", null);
                }
            } // stopped with every message pending (no MX is listening)

            try (MxSink mx = MxSink.start("127.0.0.9", mxPort);
                 TestDaemon second = builder.start()) { // the same journal, new ports
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messages().size() == 2 * EACH);
                assertThat(mx.messages()).allSatisfy(m -> {
                    boolean bulk = m.messageId().startsWith("bulk");
                    assertThat(m.clientIp()).as(m.messageId()).isEqualTo(bulk ? "127.0.0.3" : "127.0.0.2");
                    assertThat(m.helo()).isEqualTo(bulk ? "b.out.test" : "a.out.test");
                    assertThat(new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                            .as("the tag was stripped at accept").doesNotContain("X-Sluice-Stream");
                });
            }
        }
    }
}
