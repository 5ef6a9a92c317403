package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.config.JournalSettings;
import io.sluice.dns.MxResolver;
import io.sluice.dns.SiteKey;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import io.sluice.journal.Recovery;
import io.sluice.journal.WriterOptions;
import io.sluice.scheduler.BounceSink;
import io.sluice.scheduler.GivenUp;
import io.sluice.scheduler.RetryPolicy;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SchedulerOptions;
import io.sluice.testing.TestDnsServer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The real delivery chain minus ingress: a journal (temp dir) and its writer, whose queued listener feeds a real
 * {@link Scheduler}; a real {@link MxResolver} against {@link TestDnsServer}; the {@link DeliveryDispatcher} with
 * real connection pools on one NIO event loop, delivering to sinks at {@code delivery.mx_port}. The test thread
 * drives the scheduler with {@link #runUntil}.
 */
final class DispatchFixture implements AutoCloseable {
    final TestDnsServer dns;
    final int mxPort;
    /** "id/rcpt/label" for outcomes, "id/rcpt/deferred/attempts" for deferrals, in record order. */
    final List<String> journalled = new CopyOnWriteArrayList<>();
    /** "id/rcpt/address/code/status" given to the bounce sink. */
    final List<String> bounced = new CopyOnWriteArrayList<>();
    /** Every lifecycle event the dispatcher and the scheduler published, in order. */
    final List<io.sluice.events.LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DeliverySettings settings;
    private final MxResolver resolver;
    private final Journal journal;
    private final JournalWriter writer;
    private final ConnectionPools<io.sluice.scheduler.ReadyKey> pools;
    /** Unpooled so its metric shows body buffers not yet released. */
    final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    final DeliveryDispatcher dispatcher;
    final Scheduler scheduler;

    DispatchFixture(Path dir, int mxPort, int perSite) throws Exception {
        this(dir, mxPort, perSite, 4);
    }

    /** As above with {@code delivery.max_connections_per_site} = {@code poolCap} (the scheduler's cap may differ). */
    DispatchFixture(Path dir, int mxPort, int perSite, int poolCap) throws Exception {
        this.mxPort = mxPort;
        this.dns = TestDnsServer.start("test");
        DeliverySettings d = OutboundFixture.settings();
        settings = new DeliverySettings(mxPort, true, d.ehloName(), null, d.tls(), Duration.ofSeconds(2),
                d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(), d.dataBlockTimeout(),
                d.dataTerminationTimeout(), 10, poolCap, 100, Duration.ofMinutes(5), Duration.ofSeconds(30),
                d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(), false);
        resolver = new MxResolver(new DnsSettings(List.of(dns.resolverSpec()), Duration.ofSeconds(2),
                Duration.ofHours(1), Duration.ofMinutes(5)), settings);
        journal = Journal.open(new JournalSettings(dir, JournalSettings.SyncPolicy.BATCH, 0, Duration.ofMinutes(1)),
                1 << 20);
        AtomicReference<Scheduler> ref = new AtomicReference<>();
        writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                .queuedListener((id, bodiesIndex, receivedAt, rcpts) ->
                        assertThat(ref.get().offerQueued(id, bodiesIndex, receivedAt, rcpts)).isTrue())
                .outcomeListener((id, rcpt, outcome, recorded) ->
                        journalled.add(id + "/" + rcpt + "/" + outcome.label()))
                .deferredListener((id, rcpt, attempts, due, recorded) ->
                        journalled.add(id + "/" + rcpt + "/deferred/" + attempts)));
        OutboundConnector connector = new OutboundConnector(group, NioSocketChannel.class, settings, null);
        pools = new ConnectionPools<>(site -> connector, group, null);
        io.sluice.events.EventPublisher publisher = events::add;
        dispatcher = new DeliveryDispatcher(journal, pools, settings, group, r -> ref.get().offerResult(r),
                allocator, 64, publisher);
        scheduler = new Scheduler(new SchedulerOptions(10, perSite, 1024, 64, 64, 0, 3, 60_000, 600_000),
                RetryPolicy.from(settings), resolver, dispatcher, writer,
                new BounceSink() { // records each give-up and writes its OUTCOME at once (no DSN)
                    @Override
                    public boolean takesOutcomes() {
                        return true;
                    }

                    @Override
                    public boolean offer(GivenUp g) {
                        bounced.add(g.messageId() + "/" + g.recipientIndex() + "/" + g.recipient() + "/" + g.code()
                                + "/" + g.enhancedStatus());
                        return writer.offerOutcome(g.messageId(), g.recipientIndex(),
                                g.expired() ? OutcomeCode.EXPIRED : OutcomeCode.BOUNCED, g.timeMillis());
                    }
                },
                publisher, System::currentTimeMillis, new Random(7), () -> { });
        ref.set(scheduler);
        dispatcher.start();
    }

    /** Appends a message through the journal writer (which then tells the scheduler). */
    void accept(long id, String sender, String text, String... recipients) throws InterruptedException {
        CountDownLatch appended = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(writer.offer(new AcceptedMessage(id, System.currentTimeMillis(), "main", "127.0.0.1",
                "client.test", null, sender, List.of(recipients), ByteBuffer.wrap(bytes)), new AppendCallback() {
                    @Override
                    public void appended(AcceptedMessage m, long bodiesIndex) {
                        appended.countDown();
                    }

                    @Override
                    public void failed(AcceptedMessage m, Throwable cause) {
                        failure.set(cause);
                        appended.countDown();
                    }
                })).isTrue();
        assertThat(appended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    /** Runs the scheduler until {@code condition} holds; fails after 10 s. */
    void runUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (scheduler.doWork() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for: " + what + "; journalled " + journalled);
                }
                Thread.sleep(1);
            }
        }
    }

    /** The default source's pool at the site of these MX hosts, or null. */
    ConnectionPool pool(String... mxNames) {
        return pools.existing(new io.sluice.scheduler.ReadyKey(io.sluice.scheduler.ReadyKey.DEFAULT_SOURCE,
                SiteKey.of(List.of(mxNames))));
    }

    @Override
    public void close() throws Exception {
        dispatcher.close();
        pools.close().get(5, TimeUnit.SECONDS);
        writer.close();
        journal.close();
        resolver.close();
        dns.close();
        CompletableFuture.runAsync(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly())
                .get(5, TimeUnit.SECONDS);
    }
}
