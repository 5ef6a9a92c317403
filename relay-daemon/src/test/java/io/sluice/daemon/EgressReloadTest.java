package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that removes the pool (and its source) that queued mail was routed through loses nothing: while the MX
 * is down some mail is deferred and the rest waits in the ready queue of (a, site); the reload sends the default
 * route through another pool; the waiting mail is placed again at once and the deferred mail at its next attempt,
 * and all of it leaves from the new pool's source.
 */
class EgressReloadTest {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverMailQueuedThroughAPoolThatAReloadRemoved() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.9");
            TestDaemon.Builder builder = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\nretry:\n  first: 1s\n  max: 1s")
                    .topLevel("""
                            sources:
                              - {name: a, address: 127.0.0.2, ehlo_name: a.out.test}
                              - {name: b, address: 127.0.0.3, ehlo_name: b.out.test}
                            pools:
                              - {name: pa, sources: [{source: a, weight: 1}]}
                              - {name: pb, sources: [{source: b, weight: 1}]}
                            routes:
                              - {name: default, pool: pa}
                            """);
            try (ReloadFixture f = ReloadFixture.start(builder, dir)) {
                try (Submitter submitter = new Submitter("127.0.0.1", f.smtpPort())) {
                    for (int i = 0; i < MESSAGES; i++) {
                        submitter.submit("m" + i + "@client.test", "user" + i + "@dest.test");
                    }
                }
                // Some are deferred; the rest wait in the ready queue of (a, site) while the site is dead: the
                // reload must take those back (without any, the re-placement would go untested).
                await().atMost(Duration.ofSeconds(15)).until(() -> deferredMessages(dir.resolve("journal")) > 0
                        && readyRecipients(f) > 0);

                f.edit("  - {name: a, address: 127.0.0.2, ehlo_name: a.out.test}\n", "");
                f.edit("  - {name: pa, sources: [{source: a, weight: 1}]}\n", "");
                f.edit("  - {name: default, pool: pa}", "  - {name: default, pool: pb}");
                assertThat(f.daemon.reload().applied()).as("the pool in use may go").isTrue();

                try (MxSink mx = MxSink.start("127.0.0.9", mxPort)) {
                    flush(f); // the site is dead for (a, site): probe it and retry everything now
                    await().atMost(Duration.ofSeconds(20)).until(() -> mx.messages().size() == MESSAGES);
                    assertThat(mx.messages()).allSatisfy(m -> {
                        assertThat(m.clientIp()).isEqualTo("127.0.0.3");
                        assertThat(m.helo()).isEqualTo("b.out.test");
                    });
                }
            }
        }
    }

    /** Recipients waiting in ready queues now, from {@code GET /admin/queue}. */
    private static long readyRecipients(ReloadFixture f) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + f.adminPort()
                        + "/admin/queue")).header("Authorization", "Bearer " + ReloadFixture.TOKEN).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"totals\":\\{[^}]*\"ready\":(\\d+)")
                .matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** {@code POST /admin/flush}: every deferred recipient due now, dead sites probed now. */
    private static void flush(ReloadFixture f) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + f.adminPort()
                        + "/admin/flush")).header("Authorization", "Bearer " + ReloadFixture.TOKEN)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Messages whose recipients are all deferred, from {@code journal dump} (read-only beside the daemon). */
    private static long deferredMessages(Path journal) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            io.sluice.journal.JournalDump.dump(journal, out);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"state\":\"deferred\"")).count();
    }
}
