package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.MxSink;
import io.sluice.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler and the {@link DeliveryDispatcher} end to end on loopback: messages appended to a real journal
 * are resolved through a test DNS server, delivered by SMTP to recording sinks on 127.0.0.2 / 127.0.0.3 (nothing
 * listens on 127.0.0.4 / 127.0.0.5), and the OUTCOME / DEFERRED records the scheduler writes are checked.
 */
class DeliveryDispatcherTest {
    /** Dot lines, an empty line and 8-bit text: must arrive byte for byte. */
    private static final String TEXT = "Subject: dispatch\r\n"
            + "Message-ID: <1@relay.test>\r\n"
            + "\r\n"
            + ".leading dot\r\n"
            + ".\r\n"
            + "caf\u00e9\r\n";

    @TempDir
    Path dir;

    private final int port = FreePorts.next();
    private final List<AutoCloseable> open = new ArrayList<>();
    private DispatchFixture f;

    private DispatchFixture fixture(int perSite) throws Exception {
        f = new DispatchFixture(dir, port, perSite);
        return f;
    }

    private MxSink sink(String address) throws Exception {
        MxSink sink = MxSink.startFailingHardAndSoft(address, port);
        open.add(sink);
        return sink;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void shouldDeliverTheExactBytesToThePrimaryMxAndRecordDelivered() throws Exception {
        fixture(4);
        MxSink primary = sink("127.0.0.2");
        MxSink backup = sink("127.0.0.3");
        f.dns.mx("a.test", 10, "mx1.a.test").mx("a.test", 20, "mx2.a.test")
                .a("mx1.a.test", "127.0.0.2").a("mx2.a.test", "127.0.0.3");
        f.accept(1, "sender@relay.test", TEXT, "u@a.test", "v@A.test");

        f.runUntil("both delivered", () -> f.journalled.size() == 2);
        assertThat(f.journalled).containsExactlyInAnyOrder("1/0/delivered", "1/1/delivered");
        assertThat(primary.messages()).hasSize(1);
        MxSink.Received got = primary.messages().get(0);
        assertThat(got.sender()).isEqualTo("sender@relay.test");
        assertThat(got.recipients()).containsExactly("u@a.test", "v@A.test");
        assertThat(got.bytes()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
        assertThat(backup.messages()).isEmpty();
        assertThat(f.dispatcher.outstanding()).isZero();
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffer released").isZero();
    }

    @Test
    void shouldFailOverToTheBackupMxWhenNothingListensAtThePrimary() throws Exception {
        fixture(4);
        MxSink backup = sink("127.0.0.3");
        f.dns.mx("b.test", 10, "mx1.b.test").mx("b.test", 20, "mx2.b.test")
                .a("mx1.b.test", "127.0.0.4").a("mx2.b.test", "127.0.0.3");
        f.accept(1, "", TEXT, "u@b.test");

        f.runUntil("delivered", () -> !f.journalled.isEmpty());
        assertThat(f.journalled).containsExactly("1/0/delivered");
        assertThat(backup.messages()).hasSize(1);
        assertThat(backup.messages().get(0).sender()).as("null reverse-path kept").isEmpty();
        assertThat(backup.messages().get(0).bytes()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBounceARecipientRejectedWith550AndDeliverTheOther() throws Exception {
        fixture(4);
        MxSink mx = sink("127.0.0.2");
        f.dns.mx("c.test", 10, "mx.c.test").a("mx.c.test", "127.0.0.2");
        f.accept(1, "sender@relay.test", TEXT, "hard@c.test", "ok@c.test");

        f.runUntil("both final", () -> f.journalled.size() == 2);
        assertThat(f.journalled).containsExactlyInAnyOrder("1/0/bounced", "1/1/delivered");
        assertThat(f.bounced).containsExactly("1/0/hard@c.test/550/5.1.1");
        assertThat(mx.messages()).singleElement().extracting(MxSink.Received::recipients)
                .isEqualTo(List.of("ok@c.test"));
    }

    @Test
    void shouldDeferARecipientRejectedWith4xx() throws Exception {
        fixture(4);
        MxSink mx = sink("127.0.0.2");
        f.dns.mx("d.test", 10, "mx.d.test").a("mx.d.test", "127.0.0.2");
        f.accept(1, "sender@relay.test", TEXT, "soft@d.test");

        f.runUntil("deferred", () -> !f.journalled.isEmpty());
        assertThat(f.journalled).containsExactly("1/0/deferred/1");
        assertThat(f.bounced).isEmpty();
        assertThat(mx.messages()).isEmpty();
        assertThat(f.scheduler.counters().scheduledRecipients()).isEqualTo(1);
    }

    @Test
    void shouldDeferEveryRecipientWhenNoMxHostTakesAConnection() throws Exception {
        fixture(4);
        f.dns.mx("e.test", 10, "mx1.e.test").mx("e.test", 20, "mx2.e.test")
                .a("mx1.e.test", "127.0.0.4").a("mx2.e.test", "127.0.0.5");
        f.accept(1, "sender@relay.test", TEXT, "a@e.test", "b@e.test");

        f.runUntil("deferred", () -> f.journalled.size() == 2);
        assertThat(f.journalled).containsExactlyInAnyOrder("1/0/deferred/1", "1/1/deferred/1");
        assertThat(f.bounced).isEmpty();
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffer released on failure").isZero();
    }

    /**
     * A tarpit (accepts, never greets) holds a slot for the whole greeting timeout each time: such a failure counts
     * double towards the site's death. Two timed-out tasks kill a site that needs three plain failures.
     */
    @Test
    void shouldCountAGreetingTimeoutDoubleTowardsASitesDeath() throws Exception {
        fixture(4);
        open.add(io.sluice.testing.TarpitMx.start(List.of("127.0.0.6"), port));
        f.dns.mx("tarpit.test", 10, "mx.tarpit.test").a("mx.tarpit.test", "127.0.0.6");
        f.accept(1, "sender@relay.test", TEXT, "a@tarpit.test");
        f.accept(2, "sender@relay.test", TEXT, "b@tarpit.test");

        f.runUntil("both deferred after the greeting timeout", () -> f.journalled.size() == 2);
        f.runUntil("counters published", () -> f.scheduler.counters().inFlightRecipients() == 0);
        assertThat(f.scheduler.counters().deadSites()).as("2 timeouts x 2 >= dead_site_failures 3").isEqualTo(1);
    }

    @Test
    void shouldSendSeveralMessagesOverOneConnection() throws Exception {
        fixture(1);
        MxSink mx = sink("127.0.0.2");
        f.dns.mx("f.test", 10, "mx.f.test").a("mx.f.test", "127.0.0.2");
        for (int id = 1; id <= 5; id++) {
            f.accept(id, "sender@relay.test", "Subject: " + id + "\r\n\r\nbody " + id + "\r\n", "r@f.test");
        }

        f.runUntil("all delivered", () -> f.journalled.size() == 5);
        assertThat(f.journalled).containsExactlyInAnyOrder("1/0/delivered", "2/0/delivered", "3/0/delivered",
                "4/0/delivered", "5/0/delivered");
        assertThat(mx.messages()).hasSize(5);
        assertThat(mx.sessions()).as("one connection, reused with RSET").isEqualTo(1);
        assertThat(f.pool("mx.f.test").created()).isEqualTo(1);
        assertThat(f.pool("mx.f.test").reused()).isEqualTo(4);
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffers released").isZero();
    }
}
