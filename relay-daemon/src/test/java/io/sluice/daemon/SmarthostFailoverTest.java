package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.AdminHttp;
import io.sluice.testing.EventLines;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route through two smarthosts (127.0.0.21 and 127.0.0.22) with circuit breakers, end to end over loopback. The
 * retry interval is 5 minutes, so anything that arrives within seconds was failed over at once, not retried. The
 * recipient domains have no DNS records at all: a smarthost path never looks up MX.
 */
class SmarthostFailoverTest {
    @TempDir
    Path dir;

    private ReloadFixture start(TestDnsServer dns, int portA, int portB) throws Exception {
        return ReloadFixture.start(TestDaemon.in(dir).dns(dns)
                .delivery("retry:\n  first: 5m\n  max: 5m")
                .topLevel("""
                        smarthosts:
                          - {name: esp-a, host: 127.0.0.21, port: %d, tls: none, circuit: {open_after: 3, cooldown: 2s}}
                          - {name: esp-b, host: 127.0.0.22, port: %d, tls: none, circuit: {open_after: 3, cooldown: 2s}}
                        routes:
                          - {name: default, smarthosts: [esp-a, esp-b]}
                        """.formatted(portA, portB)), dir);
    }

    @Test
    void shouldSendEverythingThroughTheSecondWhenTheFirstIsDownFromTheStart() throws Exception {
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink b = MxSink.start("127.0.0.22", portB);
             ReloadFixture daemon = start(dns, portA, portB)) {
            long started = System.currentTimeMillis();
            try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int i = 0; i < 40; i++) {
                    submitter.submit("down" + i + "@client.test", "user" + i + "@nowhere" + (i % 4) + ".test");
                }
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> b.messages().size() == 40);
            assertThat(System.currentTimeMillis() - started).as("failover at once, not at the 5-minute retry")
                    .isLessThan(15_000);
            assertThat(uniqueIds(b)).hasSize(40);
            await().atMost(Duration.ofSeconds(5)).until(() -> circuitEvents(daemon, "esp-a", "open") > 0);
            String status = status(daemon);
            assertThat(status).as("status shows each breaker").containsPattern(
                    "\\{\"name\":\"esp-a\",\"host\":\"127.0.0.21\",\"port\":" + portA
                            + ",\"state\":\"(open|half-open)\",\"failures\":[1-9]")
                    .contains("{\"name\":\"esp-b\",\"host\":\"127.0.0.22\",\"port\":" + portB
                            + ",\"state\":\"closed\"");
            assertThat(deferredEvents(daemon)).as("nothing waited for a retry").isZero();
        }
    }

    @Test
    void shouldLoseNothingWhenTheFirstDiesMidRunAndReturnToItAfterTheCooldown() throws Exception {
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        int total = 200;
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink b = MxSink.start("127.0.0.22", portB);
             ReloadFixture daemon = start(dns, portA, portB)) {
            MxSink a = MxSink.start("127.0.0.21", portA).delayEachReply(2);
            AtomicInteger submitted = new AtomicInteger();
            Thread sender = new Thread(() -> {
                try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                    for (int i = 0; i < total; i++) {
                        submitter.submit("run" + i + "@client.test", "user" + i + "@dest" + (i % 7) + ".test");
                        submitted.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.messages().size() >= 30);
            a.close(); // killed mid-run: sessions in progress break, connections are refused from now on
            sender.join(60_000);
            assertThat(submitted.get()).isEqualTo(total);
            await().atMost(Duration.ofSeconds(20)).until(() -> union(a, b).size() == total);
            assertThat(b.messages()).as("the second took over").isNotEmpty();

            // The first comes back: after the cooldown a probe closes its breaker and traffic returns to it.
            try (MxSink back = MxSink.start("127.0.0.21", portA);
                 Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                int n = 0;
                long deadline = System.currentTimeMillis() + 20_000;
                while (back.messages().isEmpty() && System.currentTimeMillis() < deadline) {
                    submitter.submit("probe" + n++ + "@client.test", "someone@dest.test");
                    Thread.sleep(200);
                }
                assertThat(back.messages()).as("a probe reached the first after the cooldown").isNotEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> circuitEvents(daemon, "esp-a", "closed") > 0);
                for (int i = 0; i < 20; i++) {
                    submitter.submit("back" + i + "@client.test", "user" + i + "@dest.test");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> back.messages().stream()
                        .filter(m -> m.messageId() != null && m.messageId().startsWith("back")).count() == 20);
                assertThat(b.messages()).as("none of them went to the second")
                        .noneMatch(m -> m.messageId() != null && m.messageId().startsWith("back"));
            }
        }
    }

    @Test
    void shouldHoldMailWhileEverySmarthostIsOpenAndSendItWhenOneComesBack() throws Exception {
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             ReloadFixture daemon = start(dns, portA, portB)) {
            try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int i = 0; i < 10; i++) {
                    submitter.submit("held" + i + "@client.test", "user" + i + "@dest.test");
                }
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> circuitEvents(daemon, "esp-a", "open") > 0
                    && circuitEvents(daemon, "esp-b", "open") > 0);
            Path log = dir.resolve("events").resolve("events.jsonl");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(log).stream()
                    .anyMatch(l -> "deferred".equals(EventLines.field(l, "type"))
                            && String.valueOf(EventLines.field(l, "text")).contains("[smarthosts: esp-a open")));
            assertThat(status(daemon)).contains("\"pending_recipients\":10");

            try (MxSink b = MxSink.start("127.0.0.22", portB)) {
                await("sent after a probe, not at the 5-minute retry").atMost(Duration.ofSeconds(15))
                        .until(() -> b.messages().size() == 10);
                assertThat(uniqueIds(b)).hasSize(10);
            }
        }
    }

    @Test
    void shouldMoveMailWaitingAtASmarthostThatAReloadRemoved() throws Exception {
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink b = MxSink.start("127.0.0.22", portB);
             ReloadFixture daemon = ReloadFixture.start(TestDaemon.in(dir).dns(dns)
                     .delivery("retry:\n  first: 5m\n  max: 5m")
                     .topLevel("""
                             smarthosts:
                               - {name: esp-a, host: 127.0.0.21, port: %d, tls: none, circuit: {open_after: 1, cooldown: 10m}}
                               - {name: esp-b, host: 127.0.0.22, port: %d, tls: none}
                             routes:
                               - {name: default, smarthosts: [esp-a]}
                             """.formatted(portA, portB)), dir)) {
            try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int i = 0; i < 10; i++) {
                    submitter.submit("moved" + i + "@client.test", "user" + i + "@dest.test");
                }
            }
            // esp-a opened on its first failure and holds the rest for its 10-minute cooldown
            await().atMost(Duration.ofSeconds(10)).until(() -> circuitEvents(daemon, "esp-a", "open") > 0);
            daemon.edit("smarthosts: [esp-a]}", "smarthosts: [esp-b]}");
            assertThat(daemon.daemon.reload().applied()).isTrue();
            await("held mail moves at the reload").atMost(Duration.ofSeconds(10))
                    .until(() -> b.messages().size() >= 9);
            assertThat(status(daemon)).doesNotContain("esp-a");
            assertThat(AdminHttp.metric(daemon.adminPort(), "sluice_egress_rerouted_recipients_total"))
                    .as("the reload's re-placement is counted")
                    .isGreaterThanOrEqualTo(1);
        }
    }

    private static Set<String> uniqueIds(MxSink sink) {
        Set<String> ids = new HashSet<>();
        sink.messages().forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    private static Set<String> union(MxSink a, MxSink b) {
        Set<String> ids = uniqueIds(a);
        ids.addAll(uniqueIds(b));
        ids.removeIf(id -> id == null || !id.startsWith("run"));
        return ids;
    }

    private String status(ReloadFixture daemon) throws Exception {
        return AdminHttp.get(daemon.adminPort(), "/admin/status");
    }

    private long deferredEvents(ReloadFixture daemon) throws Exception {
        Path log = dir.resolve("events").resolve("events.jsonl");
        return !Files.exists(log) ? 0 : Files.readAllLines(log).stream()
                .filter(l -> "deferred".equals(EventLines.field(l, "type"))).count();
    }

    private long circuitEvents(ReloadFixture daemon, String smarthost, String state) throws Exception {
        Path log = dir.resolve("events").resolve("events.jsonl");
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log).stream().filter(l -> "circuit".equals(EventLines.field(l, "type"))
                && smarthost.equals(EventLines.field(l, "target")) && state.equals(EventLines.field(l, "action")))
                .count();
    }
}
