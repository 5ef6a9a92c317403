package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.EventLines;
import io.sluice.testing.EventLines.Event;
import io.sluice.testing.FreePorts;
import io.sluice.testing.JournalStates;
import io.sluice.testing.MxSink;
import io.sluice.testing.RefusingMx;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MX selection end to end: the daemon delivers to the most preferred MX host that lets it in, fails
 * over to the next one when the preferred host refuses, and falls back to the domain's own address record when
 * there is no MX (RFC 5321 5.1 implicit MX). Real sockets on loopback: a {@link TestDnsServer}, {@link MxSink}s
 * on 127.0.0.x at {@code delivery.mx_port}. Each message must arrive exactly once, with the stored bytes, and the
 * event log must name the MX host that took it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryFailoverTest {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEverythingToTheBackupMxWhenNothingListensAtThePreferredOne() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = twoMx(); MxSink backup = MxSink.start("127.0.0.3", port)) {
            Map<String, String> ids = deliver(dns, port, "dest.test", backup);
            assertExactlyOnceWithStoredBytes(backup, ids, "dest.test");
            assertEvents(ids, "mx2.dest.test");
        }
    }

    @Test
    void shouldDeliverEverythingToTheBackupMxWhenThePreferredOneGreetsWith421() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = twoMx(); RefusingMx primary = RefusingMx.start("127.0.0.2", port);
             MxSink backup = MxSink.start("127.0.0.3", port)) {
            Map<String, String> ids = deliver(dns, port, "dest.test", backup);
            assertExactlyOnceWithStoredBytes(backup, ids, "dest.test");
            assertEvents(ids, "mx2.dest.test");
            assertThat(primary.connections()).as("the preferred MX was tried first").isPositive();
        }
    }

    @Test
    void shouldDeliverEverythingToThePreferredMxWhenBothAreUp() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = twoMx(); MxSink primary = MxSink.start("127.0.0.2", port);
             MxSink backup = MxSink.start("127.0.0.3", port)) {
            Map<String, String> ids = deliver(dns, port, "dest.test", primary);
            assertExactlyOnceWithStoredBytes(primary, ids, "dest.test");
            assertThat(backup.sessions()).as("connections to the backup MX").isZero();
            assertThat(backup.messages()).isEmpty();
            assertEvents(ids, "mx1.dest.test");
        }
    }

    @Test
    void shouldDeliverToTheAddressRecordWhenTheDomainHasNoMx() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test"); MxSink host = MxSink.start("127.0.0.4", port)) {
            dns.a("plain.test", "127.0.0.4");
            Map<String, String> ids = deliver(dns, port, "plain.test", host);
            assertExactlyOnceWithStoredBytes(host, ids, "plain.test");
            assertEvents(ids, "plain.test");
        }
    }

    private static TestDnsServer twoMx() throws Exception {
        TestDnsServer dns = TestDnsServer.start("test");
        dns.mx("dest.test", 10, "mx1.dest.test").mx("dest.test", 20, "mx2.dest.test")
                .a("mx1.dest.test", "127.0.0.2").a("mx2.dest.test", "127.0.0.3");
        return dns;
    }

    /**
     * Submits {@link #MESSAGES} messages (one recipient each at {@code domain}), waits until {@code sink} has them
     * all, waits a little more for strays, and shuts the daemon down (which flushes the event log). Returns
     * Message-ID to queue id.
     */
    private Map<String, String> deliver(TestDnsServer dns, int port, String domain, MxSink sink) throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                .delivery("mx_port: " + port + "\nallow_private_mx: true").start()) {
            try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int i = 0; i < MESSAGES; i++) {
                    String messageId = "m" + i + "@client.test";
                    ids.put(messageId, s.submit(messageId, "user" + i + "@" + domain));
                }
            }
            // Done when the journal holds every recipient's delivered OUTCOME; a duplicate would be a delivery
            // after that, so none may arrive in the next 300 ms.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> JournalStates.count(daemon.journalDir(), "delivered") == MESSAGES);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(sink.messages()).as("deliveries, duplicates included").hasSize(MESSAGES));
        }
        return ids;
    }

    private void assertExactlyOnceWithStoredBytes(MxSink sink, Map<String, String> ids, String domain)
            throws Exception {
        Map<String, Stored> stored = new HashMap<>();
        for (Stored s : StoredMessages.read(dir.resolve("journal"))) {
            stored.put(s.id(), s);
        }
        assertThat(sink.countsByMessageId()).as("deliveries per Message-ID").hasSize(MESSAGES)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        for (MxSink.Received r : sink.messages()) {
            Stored s = stored.get(ids.get(r.messageId()));
            assertThat(s).as("stored " + r.messageId()).isNotNull();
            assertThat(r.bytes()).as("exact bytes of " + r.messageId()).isEqualTo(s.bytes());
            assertThat(r.sender()).isEqualTo("sender@client.test");
            assertThat(r.recipients()).isEqualTo(s.recipients())
                    .containsExactly("user" + r.messageId().substring(1, r.messageId().indexOf('@')) + "@" + domain);
        }
    }

    /** Per message: exactly {@code attempt} then {@code delivered} (code 250), both at {@code mx}, attempt 1. */
    private void assertEvents(Map<String, String> ids, String mx) throws Exception {
        List<Event> events = EventLines.read(dir.resolve("events").resolve("events.jsonl"));
        for (String queueId : ids.values()) {
            List<Event> mine = events.stream().filter(e -> queueId.equals(e.id()) && !"received".equals(e.type()))
                    .toList();
            assertThat(mine).as("delivery events of " + queueId).extracting(Event::type)
                    .containsExactly("attempt", "delivered");
            assertThat(mine).extracting(Event::mx).containsOnly(mx);
            assertThat(mine).extracting(Event::attempt).containsOnly(1);
            assertThat(mine.get(1).code()).isEqualTo(250);
        }
    }
}
