package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.config.JournalSettings;
import io.sluice.dns.MxResolver;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import io.sluice.journal.Recovery;
import io.sluice.journal.RecoveryResult;
import io.sluice.journal.WriterOptions;
import io.sluice.testing.TestDnsServer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A scheduler on a real journal (temp dir), a real MX resolver against {@link TestDnsServer} and a recording
 * {@link Dispatcher}; the test thread drives {@link Scheduler#doWork} with a settable clock. Messages go through
 * the journal writer, whose queued listener feeds the scheduler, exactly as in the daemon.
 */
final class SchedulerFixture implements AutoCloseable {
    static final long T0 = 1_790_000_000_000L;
    static final long FIRST_RETRY = 300_000;
    static final long MAX_AGE = 3_600_000;

    final TestDnsServer dns;
    final AtomicLong clock = new AtomicLong(T0);
    final List<DeliveryTask> dispatched = new ArrayList<>();
    /** "id/rcpt/label" for outcomes, "id/rcpt/deferred/attempts/due" for deferrals, in record order. */
    final List<String> journalled = new CopyOnWriteArrayList<>();
    final List<String> failures = new ArrayList<>();
    /** What the bounce sink was handed, in order (with reply text and MX host). */
    final List<GivenUp> givenUp = new ArrayList<>();
    /** Delivery events the scheduler published, in order. */
    final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    final RetryPolicy policy = new RetryPolicy(FIRST_RETRY, 2.0, 3_600_000, MAX_AGE);
    final Path dir;
    final SchedulerOptions options;
    MxResolver resolver;
    Journal journal;
    JournalWriter writer;
    Scheduler scheduler;
    boolean refuseDispatch;
    /** Every dispatched task is reported delivered at once (a connection per task that succeeds). */
    boolean deliverAtOnce;
    /** The daemon's hand-off from the journal writer to the scheduler. */
    final QueuedHandoff handoff = new QueuedHandoff();

    /** The resolver the scheduler asks ({@code host:port}); null: {@link #dns}. Set before {@code start}. */
    String resolverSpec;

    SchedulerFixture(Path dir, SchedulerOptions options) throws Exception {
        this.dir = dir;
        this.options = options;
        this.dns = TestDnsServer.start("test");
    }

    static SchedulerOptions options(int perSite) {
        return options(perSite, 1024);
    }

    /** @param inboxCapacity the scheduler's queued-message inbox (a power of two, at least 2) */
    static SchedulerOptions options(int perSite, int inboxCapacity) {
        return new SchedulerOptions(100, perSite, inboxCapacity, 1024, 64, 60_000, 2, 60_000, 600_000);
    }

    /** Opens the journal, recovers, lets {@code beforeStart} see the recovered set, starts writer and scheduler. */
    SchedulerFixture start(java.util.function.Consumer<RecoveryResult> beforeStart) throws Exception {
        DeliverySettings d = DeliverySettings.defaults("relay.test");
        DeliverySettings delivery = new DeliverySettings(d.mxPort(), true, d.ehloName(), d.bindAddress(), d.tls(),
                d.connectTimeout(), d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(),
                d.dataBlockTimeout(), d.dataTerminationTimeout(), d.maxRecipientsPerMessage(),
                d.maxConnectionsPerSite(), d.maxDeliveriesPerConnection(), d.connectionMaxAge(), d.idleTimeout(),
                d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(),
                d.assumeDeliveredOnDotTimeout());
        resolver = new MxResolver(new DnsSettings(List.of(resolverSpec == null ? dns.resolverSpec() : resolverSpec),
                Duration.ofSeconds(2),
                Duration.ofHours(1), Duration.ofMinutes(5)), delivery);
        journal = Journal.open(new JournalSettings(dir, JournalSettings.SyncPolicy.BATCH, 0, Duration.ofMinutes(1)),
                1 << 20);
        RecoveryResult recovered = Recovery.recover(journal);
        writer = JournalWriter.start(journal, recovered, new WriterOptions()
                .queuedListener(handoff)
                .outcomeListener((id, rcpt, outcome, recorded) ->
                        journalled.add(id + "/" + rcpt + "/" + outcome.label() + (recorded ? "" : "/unrecorded")))
                .deferredListener((id, rcpt, attempts, due, recorded) ->
                        journalled.add(id + "/" + rcpt + "/deferred/" + attempts + "/" + due
                                + (recorded ? "" : "/unrecorded"))));
        scheduler = new Scheduler(options, policy, resolver, this::dispatch, writer,
                new RecordingBounceSink(),
                events::add, clock::get, new Random(42), () -> { });
        handoff.connect(scheduler);
        beforeStart.accept(recovered);
        return this;
    }

    /**
     * A sink that takes outcomes, records each given-up recipient in {@link #failures} and writes its OUTCOME at
     * once (a DSN-less sink), so the journal order is what the scheduler decided.
     */
    private final class RecordingBounceSink implements BounceSink {
        @Override
        public boolean takesOutcomes() {
            return true;
        }

        @Override
        public boolean offer(GivenUp g) {
            givenUp.add(g);
            failures.add(g.messageId() + "/" + g.recipientIndex() + "/" + g.recipient() + "/"
                    + (g.expired() ? "expired" : "bounced") + "/" + g.code() + "/" + g.enhancedStatus());
            assertThat(writer.offerOutcome(g.messageId(), g.recipientIndex(),
                    g.expired() ? OutcomeCode.EXPIRED : OutcomeCode.BOUNCED, g.timeMillis())).isTrue();
            return true;
        }
    }

    SchedulerFixture start() throws Exception {
        return start(r -> { });
    }

    /** Appends a message (received now) through the writer and runs the scheduler until it has been queued. */
    void accept(long id, String... recipients) {
        CountDownLatchCallback cb = new CountDownLatchCallback();
        assertThat(writer.offer(new AcceptedMessage(id, clock.get(), "main", "127.0.0.1", "client.test", null,
                "sender@relay.test", List.of(recipients), ByteBuffer.wrap(new byte[] {'x', '\r', '\n'})), cb))
                .isTrue();
        cb.await();
    }

    /** Runs doWork until {@code condition} holds (DNS answers arrive on another thread); fails after 5 s. */
    void runUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (scheduler.doWork() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for: " + what);
                }
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Runs doWork a few times (for "nothing happens" checks after all inputs are in). */
    void settle() {
        for (int i = 0; i < 20; i++) {
            scheduler.doWork();
        }
    }

    void advance(long millis) {
        clock.addAndGet(millis);
    }

    void report(DeliveryTask task, TaskResult.SiteSignal signal, RecipientResult... results) {
        assertThat(scheduler.offerResult(new TaskResult(task.taskId(), signal, List.of(results)))).isTrue();
    }

    /** A result from a session at {@code mx} using {@code source}, as the delivery stage reports it. */
    void reportVia(DeliveryTask task, String mx, String source, RecipientResult... results) {
        assertThat(scheduler.offerResult(new TaskResult(task.taskId(), TaskResult.SiteSignal.CONNECTED,
                List.of(results), mx, source))).isTrue();
    }

    void delivered(DeliveryTask task) {
        RecipientResult[] all = new RecipientResult[task.recipientCount()];
        java.util.Arrays.fill(all, RecipientResult.delivered());
        report(task, TaskResult.SiteSignal.CONNECTED, all);
    }

    /** Waits until the journal writer has reported {@code n} records. */
    void awaitJournalled(int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> journalled.size() >= n);
    }

    List<String> domainsDispatched() {
        List<String> out = new ArrayList<>();
        dispatched.forEach(t -> out.add(t.domain()));
        return out;
    }

    private static final class CountDownLatchCallback implements AppendCallback {
        private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        private volatile Throwable failure;

        @Override
        public void appended(AcceptedMessage m, long bodiesIndex) {
            latch.countDown();
        }

        @Override
        public void failed(AcceptedMessage m, Throwable cause) {
            failure = cause;
            latch.countDown();
        }

        void await() {
            try {
                assertThat(latch.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(failure).isNull();
        }
    }

    private boolean dispatch(DeliveryTask task) {
        if (refuseDispatch) {
            return false;
        }
        dispatched.add(task);
        if (deliverAtOnce) {
            delivered(task);
        }
        return true;
    }

    /** Stops writer, journal, resolver and DNS server (the scheduler holds no threads). */
    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        dns.close();
    }
}
