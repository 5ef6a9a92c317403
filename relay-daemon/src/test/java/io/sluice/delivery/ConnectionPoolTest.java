package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.config.DeliverySettings;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection pool against real sinks on loopback (Wiser, and the scripted server where the test needs a
 * misbehaving next hop): reuse, the cap (the path policy's, or the connector's), per-connection limits, idle close, broken and
 * RSET-failed connections never reused, tagging by MX host, close.
 */
class ConnectionPoolTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String EHLO_PLAIN = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250 mx.test
            """;
    private static final String ONE_MESSAGE = """
            C: MAIL FROM:<s@sender.test>
            S: 250 Ok
            C: RCPT TO:<r@dest.test>
            S: 250 Ok
            C: DATA
            S: 354 go ahead
            T:
            S: 250 2.0.0 Ok
            """;

    private final OutboundFixture fixture = new OutboundFixture();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** The pool's clock runs ahead of System.nanoTime() by this much: tests age connections without sleeping. */
    private final AtomicLong clockAheadNanos = new AtomicLong();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private ConnectionPool pool;

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.close().get();
        }
        for (AutoCloseable s : servers) {
            s.close();
        }
        timer.shutdownNow();
        fixture.close();
    }

    static DeliverySettings limits(int cap, int maxDeliveries, Duration maxAge, Duration idleTimeout) {
        DeliverySettings d = OutboundFixture.settings();
        return new DeliverySettings(d.mxPort(), d.allowPrivateMx(), d.ehloName(), d.bindAddress(), d.tls(),
                d.connectTimeout(), d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(),
                d.dataBlockTimeout(), d.dataTerminationTimeout(), d.maxRecipientsPerMessage(), cap, maxDeliveries,
                maxAge, idleTimeout, d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(),
                d.assumeDeliveredOnDotTimeout());
    }

    private ConnectionPool pool(DeliverySettings settings) {
        pool = new ConnectionPool("default/site.test", fixture.connector(settings), timer,
                () -> System.nanoTime() + clockAheadNanos.get());
        return pool;
    }

    private PoolSink sink(String host) throws Exception {
        PoolSink sink = new PoolSink(host);
        servers.add(sink);
        return sink;
    }

    private ScriptedMx scripted(String... scripts) throws Exception {
        ScriptedMx mx = ScriptedMx.start("127.0.0.2", scripts);
        servers.add(mx);
        return mx;
    }

    private void deliver(Lease lease, int i) throws Exception {
        TransactionResult r = await(lease.connection().send(OutboundMessage.of("s@sender.test",
                List.of("r@dest.test"), fixture.body("Subject: " + i + "\r\n\r\nbody " + i + "\r\n"), false, false)));
        assertThat(r.isDelivered(0)).as("%s", r).isTrue();
    }

    private void deliverAndRelease(PoolSink sink, int i) throws Exception {
        Lease lease = await(pool.acquire(sink.address(), sink.name()));
        deliver(lease, i);
        lease.release();
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void shouldSendManyMessagesOverOneSession() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(10, 100, LONG, LONG));

        for (int i = 0; i < 5; i++) {
            deliverAndRelease(sink, i);
        }

        assertThat(sink.wiser.getMessages()).hasSize(5);
        assertThat(sink.sessions.get()).isEqualTo(1);
        assertThat(pool.created()).isEqualTo(1);
        assertThat(pool.reused()).isEqualTo(4);
        assertThat(pool.idle()).isEqualTo(1);
        assertThat(pool.open()).isEqualTo(1);
        assertThat(pool.leased()).isZero();
    }

    @Test
    void shouldReuseAReleasedConnectionAndKeepCountsWithinTheCap() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(2, 100, LONG, LONG));
        Lease a = await(pool.acquire(sink.address(), sink.name()));
        Lease b = await(pool.acquire(sink.address(), sink.name()));
        assertThat(pool.available()).isZero();
        assertThat(pool.leased()).isEqualTo(2);

        a.release();

        assertThat(pool.available()).isEqualTo(1);
        Lease c = await(pool.acquire(sink.address(), sink.name()));
        assertThat(c.reused()).isTrue();
        assertThat(c.connection()).isSameAs(a.connection());
        assertThat(b.connection()).isNotSameAs(a.connection());
        assertThat(pool.created()).isEqualTo(2);
        assertThat(sink.sessions.get()).isEqualTo(2);
        assertThatThrownBy(a::release).isInstanceOf(IllegalStateException.class);
        b.release();
        c.release();
        assertThat(pool.available()).isEqualTo(2);
        assertThat(pool.open()).isEqualTo(2);
    }

    @Test
    void shouldTakeThePathPolicysLimitsOverTheConnectorsSettings() throws Exception {
        PoolSink mx1 = sink("127.0.0.2");
        PoolSink mx2 = sink("127.0.0.3");
        pool(limits(10, 100, LONG, LONG));
        pool.limits(1, 2);
        deliverAndRelease(mx1, 1);

        // at the policy's cap of 1, a connection to another MX host makes the idle one yield
        Lease two = await(pool.acquire(mx2.address(), mx2.name()));
        await().atMost(Duration.ofSeconds(5)).until(() -> mx1.ended.get() == 1);
        assertThat(pool.open()).isEqualTo(1);
        deliver(two, 2);
        two.release();
        deliverAndRelease(mx2, 3);
        // two transactions per connection: the third one needs a new connection
        deliverAndRelease(mx2, 4);
        assertThat(mx2.sessions.get()).isEqualTo(2);
    }

    @Test
    void shouldOpenANewConnectionAfterMaxDeliveriesPerConnection() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(10, 2, LONG, LONG));

        for (int i = 0; i < 5; i++) {
            deliverAndRelease(sink, i);
        }

        assertThat(sink.wiser.getMessages()).hasSize(5);
        assertThat(sink.sessions.get()).isEqualTo(3);
        assertThat(pool.created()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
        assertThat(pool.open()).isEqualTo(1);
    }

    @Test
    void shouldNotReuseAConnectionOlderThanMaxAge() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        Duration maxAge = Duration.ofSeconds(10); // far longer than the test takes, so only the clock moves ages
        pool(limits(10, 100, maxAge, LONG));
        Lease first = await(pool.acquire(sink.address(), sink.name()));
        deliver(first, 0);
        first.release();
        assertThat(pool.idle()).as("young at release: kept").isEqualTo(1);

        clockAheadNanos.addAndGet(maxAge.plusSeconds(1).toNanos());
        Lease second = await(pool.acquire(sink.address(), sink.name()));

        assertThat(second.reused()).isFalse();
        assertThat(second.connection()).isNotSameAs(first.connection());
        deliver(second, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 1);
        assertThat(first.connection().isUsable()).isFalse();
        assertThat(pool.created()).isEqualTo(2);
        clockAheadNanos.addAndGet(maxAge.plusSeconds(1).toNanos());
        second.release();
        // Older than max age at release: closed instead of kept.
        assertThat(pool.idle()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
    }

    @Test
    void shouldCloseIdleConnectionsAfterIdleTimeout() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(10, 100, LONG, Duration.ofMillis(200)));
        Lease a = await(pool.acquire(sink.address(), sink.name()));
        Lease b = await(pool.acquire(sink.address(), sink.name()));
        a.release();
        b.release();
        assertThat(pool.idle()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> pool.open() == 0);

        assertThat(pool.idle()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
        assertThat(a.connection().isUsable()).isFalse();
        assertThat(b.connection().isUsable()).isFalse();
        // The pool still works after the sweep.
        deliverAndRelease(sink, 0);
        assertThat(pool.created()).isEqualTo(3);
    }

    @Test
    void shouldNeverReuseAConnectionTheServerDropped() throws Exception {
        ScriptedMx mx = scripted(EHLO_PLAIN + ONE_MESSAGE + "!close\n", EHLO_PLAIN + ONE_MESSAGE);
        pool(limits(10, 100, LONG, LONG));
        Lease first = await(pool.acquire(mx.address(), "mx.test"));
        deliver(first, 0);
        first.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.connection().isUsable());

        Lease second = await(pool.acquire(mx.address(), "mx.test"));

        assertThat(second.reused()).isFalse();
        assertThat(second.connection()).isNotSameAs(first.connection());
        deliver(second, 1);
        second.release();
        pool.close().get();
        mx.assertPlayed();
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(pool.reused()).isZero();
    }

    @Test
    void shouldDropAConnectionWhoseRsetFailsAndOpenAnother() throws Exception {
        ScriptedMx mx = scripted(EHLO_PLAIN + ONE_MESSAGE + """
                C: RSET
                S: 500 5.5.1 no
                """, EHLO_PLAIN + ONE_MESSAGE);
        pool(limits(10, 100, LONG, LONG));
        Lease first = await(pool.acquire(mx.address(), "mx.test"));
        deliver(first, 0);
        first.release();
        assertThat(pool.idle()).isEqualTo(1);

        Lease second = await(pool.acquire(mx.address(), "mx.test"));

        assertThat(second.reused()).isFalse();
        assertThat(second.connection()).isNotSameAs(first.connection());
        assertThat(first.connection().isUsable()).isFalse();
        assertThat(pool.leased()).isEqualTo(1);
        assertThat(pool.open()).isEqualTo(1);
        deliver(second, 1);
        second.release();
        pool.close().get();
        mx.assertPlayed();
        assertThat(mx.session(0).clientLines()).endsWith("RSET");
        assertThat(pool.reused()).isZero();
        assertThat(pool.created()).isEqualTo(2);
    }

    @Test
    void shouldKeepSeparateConnectionsPerMxHost() throws Exception {
        PoolSink mx1 = sink("127.0.0.2");
        PoolSink mx2 = sink("127.0.0.3");
        pool(limits(10, 100, LONG, LONG));
        Lease one = await(pool.acquire(mx1.address(), mx1.name()));
        one.release();

        Lease two = await(pool.acquire(mx2.address(), mx2.name()));
        two.release();
        Lease oneAgain = await(pool.acquire(mx1.address(), mx1.name()));

        assertThat(two.reused()).isFalse();
        assertThat(two.connection().remoteAddress()).isEqualTo(mx2.address());
        assertThat(two.connection().mxHostName()).isEqualTo(mx2.name());
        assertThat(oneAgain.reused()).isTrue();
        assertThat(oneAgain.connection()).isSameAs(one.connection());
        deliver(oneAgain, 0);
        oneAgain.release();
        assertThat(mx1.sessions.get()).isEqualTo(1);
        assertThat(mx2.sessions.get()).isEqualTo(1);
        assertThat(mx1.wiser.getMessages()).hasSize(1);
        assertThat(pool.idle()).isEqualTo(2);
    }

    @Test
    void shouldCloseAnIdleConnectionToAnotherMxHostWhenAtTheCap() throws Exception {
        PoolSink mx1 = sink("127.0.0.2");
        PoolSink mx2 = sink("127.0.0.3");
        pool(limits(1, 100, LONG, LONG));
        await(pool.acquire(mx1.address(), mx1.name())).release();

        Lease two = await(pool.acquire(mx2.address(), mx2.name()));

        assertThat(two.connection().remoteAddress()).isEqualTo(mx2.address());
        assertThat(pool.closing()).as("the new connection was opened only after the old one had closed").isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> mx1.ended.get() == 1);
        assertThat(pool.open()).isEqualTo(1);
        assertThat(pool.idle()).isZero();
    }

    @Test
    void shouldKeepPoolsThatShareACapWithinItClosingAnIdleConnectionOfAnotherPoolForRoom() throws Exception {
        PoolSink mx1 = sink("127.0.0.2");
        PoolSink mx2 = sink("127.0.0.3");
        SharedConnectionCap total = new SharedConnectionCap("bigmail", 2);
        pool(limits(10, 100, LONG, LONG));
        pool.shareCap(total);
        ConnectionPool other = new ConnectionPool("ip2/site.test", fixture.connector(limits(10, 100, LONG, LONG)),
                timer);
        other.shareCap(total);
        try {
            Lease a = await(pool.acquire(mx1.address(), mx1.name()));
            Lease b = await(pool.acquire(mx1.address(), mx1.name()));
            a.release();
            b.release();
            assertThat(pool.idle()).isEqualTo(2);
            assertThat(total.count()).isEqualTo(2);

            Lease c = await(other.acquire(mx2.address(), mx2.name())); // the cap is used: one of pool's idle yields

            assertThat(pool.idle()).as("one idle connection of the other pool closed for room").isEqualTo(1);
            assertThat(pool.closing()).as("and its close completed before the new one opened").isZero();
            assertThat(total.count()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> mx1.ended.get() == 1);
            deliver(c, 0);
            c.release();
            assertThat(total.count()).isLessThanOrEqualTo(2);
        } finally {
            other.close().get();
        }
    }

    @Test
    void shouldOpenNewConnectionsNoFasterThanTheConnectionRate() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(10, 100, LONG, LONG));
        pool.connectionRate(2, 1_000_000_000L, 1); // 2/s: one every 500 ms
        long start = System.nanoTime();
        List<CompletableFuture<Lease>> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(pool.acquire(sink.address(), sink.name()));
        }
        List<Long> readyMillis = new ArrayList<>();
        for (CompletableFuture<Lease> f : leases) {
            await(f);
            readyMillis.add((System.nanoTime() - start) / 1_000_000);
        }
        assertThat(readyMillis.get(0)).as("the first at once").isLessThan(400);
        assertThat(readyMillis.get(2)).as("the third a second later").isGreaterThanOrEqualTo(900);
        assertThat(sink.sessions.get()).isEqualTo(3);
        for (CompletableFuture<Lease> f : leases) {
            f.get().release();
        }
    }

    @Test
    void shouldCloseConnectionsAboveALoweredCapWhenTheyAreReleased() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(3, 100, LONG, LONG));
        Lease a = await(pool.acquire(sink.address(), sink.name()));
        Lease b = await(pool.acquire(sink.address(), sink.name()));
        Lease c = await(pool.acquire(sink.address(), sink.name()));

        pool.limits(1, 100); // a reload: leased connections finish their transaction, then close
        deliver(a, 0);
        a.release();
        b.release();
        assertThat(pool.idle()).as("one leased, two above the new cap closed").isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.closing() == 0);
        c.release();
        assertThat(pool.idle()).as("within the cap again: kept").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
        assertThat(pool.open()).isEqualTo(1);
    }

    @Test
    void shouldFreeTheSlotWhenAConnectFails() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.2"))) {
            nobody = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
        pool(limits(1, 100, LONG, LONG));

        Throwable error = failure(pool.acquire(nobody, "mx.test"));

        assertThat(error).isInstanceOf(OutboundException.class);
        assertThat(((OutboundException) error).kind()).isEqualTo(FailureKind.CONNECT_FAILED);
        assertThat(pool.opening()).isZero();
        assertThat(pool.available()).isEqualTo(1);
    }

    @Test
    void shouldQuitIdleConnectionsOnCloseAndLeasedOnesWhenReturned() throws Exception {
        PoolSink sink = sink("127.0.0.2");
        pool(limits(10, 100, LONG, LONG));
        Lease idle = await(pool.acquire(sink.address(), sink.name()));
        Lease busy = await(pool.acquire(sink.address(), sink.name()));
        idle.release();

        pool.close().get();

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 1);
        assertThat(failure(pool.acquire(sink.address(), sink.name()))).isInstanceOf(IllegalStateException.class);
        deliver(busy, 0);
        busy.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
        assertThat(pool.open()).isZero();
        assertThat(sink.wiser.getMessages()).hasSize(1);
    }
}
