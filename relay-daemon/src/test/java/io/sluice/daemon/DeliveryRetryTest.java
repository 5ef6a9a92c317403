package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.EventLines;
import io.sluice.testing.EventLines.Event;
import io.sluice.testing.FreePorts;
import io.sluice.testing.JournalStates;
import io.sluice.testing.MxSink;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary failures end to end (docs/architecture.md "Retries and health": 4xx = retry): an MX host that answers the
 * first final dot of each message with {@code 451}, or greets the first connection with {@code 421}, gets the message
 * again after {@code delivery.retry.first} (short here: {@value #RETRY_FIRST_MS} ms, jitter +/-20%) and then
 * takes it exactly once. The event log must tell the story in order: attempt 1, deferred, attempt 2, delivered;
 * the journal must end with every message delivered.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryRetryTest {
    private static final int MESSAGES = 10;
    private static final long RETRY_FIRST_MS = 200;
    /** The shortest retry interval the policy may draw (jitter -20%), minus clock granularity. */
    private static final long SHORTEST_RETRY_MS = RETRY_FIRST_MS * 8 / 10 - 5;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEachMessageOnceAfterA451OnItsFirstAttempt() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = oneMx(); MxSink sink = MxSink.start("127.0.0.2", port).deferFirstDelivery()) {
            Map<String, String> ids = deliver(dns, port, sink, MESSAGES);
            assertThat(sink.deferred()).as("transactions answered 451").isEqualTo(MESSAGES);
            assertDeliveredOnceWithStoredBytes(sink, ids);
            List<Event> events = EventLines.read(dir.resolve("events").resolve("events.jsonl"));
            for (String queueId : ids.values()) {
                List<Event> mine = deliveryEvents(events, queueId);
                assertThat(mine).as("events of " + queueId).extracting(Event::type)
                        .containsExactly("attempt", "deferred", "attempt", "delivered");
                assertThat(mine).extracting(Event::attempt).containsExactly(1, 1, 2, 2);
                assertThat(mine).extracting(Event::code).containsExactly(0, 451, 0, 250);
                assertThat(mine).extracting(Event::mx).containsOnly("mx.retry.test");
                assertRetriedNoSoonerThanThePolicy(mine.get(1), mine.get(2));
            }
        }
    }

    @Test
    void shouldDeliverOnceAfterTheSiteGreetedTheFirstConnectionWith421() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = oneMx(); MxSink sink = MxSink.start("127.0.0.2", port).refuseSessions(1)) {
            Map<String, String> ids = deliver(dns, port, sink, 1);
            assertThat(sink.refusedSessions()).as("connections greeted with 421").isEqualTo(1);
            assertDeliveredOnceWithStoredBytes(sink, ids);
            String queueId = ids.values().iterator().next();
            List<Event> mine = deliveryEvents(EventLines.read(dir.resolve("events").resolve("events.jsonl")),
                    queueId);
            // No session on the first attempt, so no attempt event for it (docs/events.md "Order").
            assertThat(mine).extracting(Event::type).containsExactly("deferred", "attempt", "delivered");
            assertThat(mine).extracting(Event::attempt).containsExactly(1, 2, 2);
            assertThat(mine.get(0).line()).contains("421");
            assertThat(mine.get(2).code()).isEqualTo(250);
            assertRetriedNoSoonerThanThePolicy(mine.get(0), mine.get(1));
        }
    }

    private static TestDnsServer oneMx() throws Exception {
        TestDnsServer dns = TestDnsServer.start("test");
        dns.mx("retry.test", 10, "mx.retry.test").a("mx.retry.test", "127.0.0.2");
        return dns;
    }

    /** Submits, waits until the journal says every message is delivered, shuts down. Message-ID to queue id. */
    private Map<String, String> deliver(TestDnsServer dns, int port, MxSink sink, int count) throws Exception {
        Map<String, String> ids = new HashMap<>();
        Path journal = dir.resolve("journal");
        try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).delivery("mx_port: " + port
                + "\nallow_private_mx: true\nretry:\n  first: " + RETRY_FIRST_MS + "ms\n  max: 1s").start()) {
            try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int i = 0; i < count; i++) {
                    String messageId = "r" + i + "@client.test";
                    ids.put(messageId, s.submit(messageId, "user" + i + "@retry.test"));
                }
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> JournalStates.count(journal, "delivered") == count);
            Thread.sleep(300); // a duplicate would show up now
        }
        return ids;
    }

    private void assertDeliveredOnceWithStoredBytes(MxSink sink, Map<String, String> ids) throws Exception {
        Map<String, Stored> stored = new HashMap<>();
        for (Stored s : StoredMessages.read(dir.resolve("journal"))) {
            stored.put(s.id(), s);
        }
        assertThat(sink.countsByMessageId()).as("deliveries per Message-ID").hasSize(ids.size())
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        for (MxSink.Received r : sink.messages()) {
            assertThat(r.bytes()).as("exact bytes of " + r.messageId())
                    .isEqualTo(stored.get(ids.get(r.messageId())).bytes());
        }
        assertThat(JournalStates.read(dir.resolve("journal"))).hasSize(ids.size()).containsOnlyKeys(ids.values())
                .allSatisfy((id, state) -> assertThat(state).isEqualTo("delivered"));
    }

    private static List<Event> deliveryEvents(List<Event> events, String queueId) {
        return events.stream().filter(e -> queueId.equals(e.id()) && !"received".equals(e.type())).toList();
    }

    private static void assertRetriedNoSoonerThanThePolicy(Event deferred, Event retry) {
        long gap = Duration.between(Instant.parse(deferred.time()), Instant.parse(retry.time())).toMillis();
        assertThat(gap).as("retry interval in ms").isGreaterThanOrEqualTo(SHORTEST_RETRY_MS).isLessThan(5_000);
    }
}
