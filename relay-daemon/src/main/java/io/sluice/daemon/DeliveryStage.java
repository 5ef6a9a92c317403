package io.sluice.daemon;

import io.sluice.classify.Classifier;
import io.netty.buffer.PooledByteBufAllocator;
import io.sluice.bounce.DsnStage;
import io.sluice.config.Settings;
import io.sluice.delivery.ConnectionPools;
import io.sluice.delivery.DeliveryDispatcher;
import io.sluice.delivery.OpportunisticTls;
import io.sluice.delivery.SharedConnectionCap;
import io.sluice.delivery.SourceConnectors;
import io.sluice.dns.MxResolver;
import io.sluice.dns.ResolverHealth;
import io.sluice.events.EventPublisher;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.PendingSet;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.routing.Router;
import io.sluice.scheduler.BounceSink;
import io.sluice.scheduler.QueuedHandoff;
import io.sluice.scheduler.ReadyKey;
import io.sluice.scheduler.RetryPolicy;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SchedulerOptions;
import io.sluice.scheduler.HardBounceSink;
import io.sluice.scheduler.ShapingState;
import io.sluice.scheduler.SuppressionCheck;
import io.sluice.scheduler.WarmupState;
import io.sluice.scheduler.SteeringState;
import io.sluice.shaping.PathPolicy;
import java.util.Random;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound delivery, assembled (architecture.md "Delivery core"): the {@link MxResolver}, one outbound connector
 * per source on the shared event loops ({@link SourceConnectors}: the source's address and EHLO name; JDK trust store
 * judging peers, {@link OpportunisticTls}), {@link ConnectionPools} per (source, site), the
 * {@link DeliveryDispatcher} and the {@link Scheduler} run by an Agrona {@link AgentRunner} on its own thread
 * ({@code sluice-scheduler}), which gets the routes, pools and unusable sources from {@link EgressPlan}.
 *
 * <p>Inputs: newly durable messages through the {@link QueuedHandoff} (connected here), the recovered pending set
 * (loaded before the runner starts, with each message's received time from the journal, so expiry survives a
 * restart). Outputs: OUTCOME/DEFERRED records to the writer; given-up recipients to the {@link DsnStage}
 * (which writes their DSN, then their OUTCOME) when {@code delivery.dsn} is on, else {@link BounceSink#NONE};
 * delivery events ({@code attempt} from the dispatcher, the outcomes from the scheduler) to the daemon's
 * event log; the delivery metrics ({@link AttemptTimer} around the scheduler's port, {@link DeliveryGauges}).
 *
 * <p>Threading: the scheduler idles with a backoff that parks at most {@link #MAX_PARK_NANOS}; every offer unparks
 * the runner thread, so new work does not wait for the park to end. Start on the daemon's start thread, after
 * {@code JournalWriter.start} and before ingress opens (the scheduler's load order).
 *
 * <p>{@link #close} (docs/architecture.md "Shutdown"), with the journal writer and the event loops still running (the
 * daemon closes them after this stage): the scheduler stops dispatching; the dispatcher stops taking tasks and hands
 * back untried the tasks it had not started (back into the scheduler's ready queues: no record, no attempt counted);
 * deliveries in flight get up to {@link #IN_FLIGHT_GRACE_MILLIS} to finish, while the scheduler keeps running and
 * turns their results into OUTCOME/DEFERRED records and flushes its backlogs to the writer
 * ({@link Scheduler#isDrained}); only then is the scheduler stopped, then the DSN stage (bounded wait; it writes
 * the DSNs and OUTCOMEs of recipients given up on so far), then the pools (bounded wait) and the resolver. A
 * delivery still in flight after the grace is not recorded: its recipients stay pending in the journal and are
 * delivered again after restart (at-least-once), and so are recipients whose records were still backlogged
 * behind a full writer.
 */
final class DeliveryStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);
    static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long POOLS_CLOSE_SECONDS = 5;
    /** How long close waits for deliveries in flight and their records (the daemon's DATA drain is as long). */
    static final long IN_FLIGHT_GRACE_MILLIS = 10_000;

    private final MxResolver resolver;
    private final ConnectionPools<ReadyKey> pools;
    private final DeliveryDispatcher dispatcher;
    private final Scheduler scheduler;
    private final AgentRunner runner;
    private final DsnStage dsn;
    private final SourceConnectors connectors;
    /** The path limits of the current settings (the pools read them through it; swapped on reload). */
    private final AtomicReference<PathPolicy> paths;

    /** The bounce classifier of the current rules (the delivery stage reads it per finished attempt). */
    private final AtomicReference<Classifier> classifier;

    /** The shaping actions' and warm-up progress's writers: flushed at a clean stop. */
    private List<StateFilePersister<?>> persisters = List.of();

    private DeliveryStage(MxResolver resolver, ConnectionPools<ReadyKey> pools, DeliveryDispatcher dispatcher,
                          Scheduler scheduler, AgentRunner runner, DsnStage dsn, SourceConnectors connectors,
                          AtomicReference<PathPolicy> paths, AtomicReference<Classifier> classifier) {
        this.paths = paths;
        this.classifier = classifier;
        this.resolver = resolver;
        this.pools = pools;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.runner = runner;
        this.dsn = dsn;
        this.connectors = connectors;
    }

    /**
     * Reload (only keys {@code config.RestartRequired} lets through): new outbound connections use the new
     * timeouts and each source's new address and EHLO name; attempts that finish from now on are classified by the
     * new bounce rules; the scheduler's next deferral and expiry decisions follow the new retry policy, and its next
     * placements the new routes and pools. Any thread.
     */
    void reload(Settings next) {
        classifier.set(Classifier.of(next.bounces()));
        connectors.reload(next.delivery(), next.egress());
        paths.set(PathPolicy.from(next.delivery(), next.shaping()));
        pools.reloadLimits();
        scheduler.changePathPolicy(paths.get());
        scheduler.changeRetryPolicy(RetryPolicy.from(next.delivery()));
        scheduler.changeEgress(Router.compile(next.egress()), EgressPlan.unusableSources(next.egress()));
        scheduler.changeWarmup(next.egress().sources(), next.shaping().rules());
    }


    /** The bounce classifier of the current rules (a reload swaps it). */
    java.util.function.Supplier<Classifier> classifier() {
        return classifier::get;
    }

    /** Builds and starts the stage; on failure closes what was built and rethrows. */
    static DeliveryStage start(Settings settings, Journal journal, JournalWriter writer, PendingSet recovered,
                               EventLoops loops, QueuedHandoff handoff, EventPublisher events,
                               SluiceMetrics metrics, SteeringState steering, ShapingState shaping,
                               WarmupState warmup, SuppressionCheck suppression, HardBounceSink hardBounces,
                               io.sluice.delivery.ReturnPaths returnPaths) {
        MxResolver resolver = new MxResolver(settings.dns(), settings.delivery(), settings.mtaSts(), journal.dir());
        ConnectionPools<ReadyKey> pools = null;
        DeliveryDispatcher dispatcher = null;
        DsnStage dsn = null;
        try {
            if (settings.delivery().dsn()) {
                dsn = DsnStage.start(journal, writer, settings.smtp().hostname(), events);
            }
            java.nio.file.Path caFile = settings.delivery().tlsCaFile();
            SourceConnectors connectors = new SourceConnectors(loops.group(), loops.socketChannelClass(),
                    settings.delivery(), settings.egress(),
                    caFile == null ? OpportunisticTls.jdkDefault() : OpportunisticTls.fromCaFile(caFile));
            // One path policy decides each path's caps: the scheduler's window (deliveries in flight) and the pool's
            // open connections follow the same object, swapped on reload.
            AtomicReference<PathPolicy> paths = new AtomicReference<>(PathPolicy.from(settings.delivery(),
                    settings.shaping()));
            // A provider's total connections over every source: one cap its sources' pools share.
            java.util.concurrent.ConcurrentHashMap<String, SharedConnectionCap> totals =
                    new java.util.concurrent.ConcurrentHashMap<>();
            pools = new ConnectionPools<>(key -> connector(connectors, paths.get(), key),
                    loops.group(), new ConnectionPools.Limits<ReadyKey>() {
                        @Override
                        public int connections(ReadyKey key) {
                            return paths.get().connections(key.source(), key.site());
                        }

                        @Override
                        public int deliveriesPerConnection(ReadyKey key) {
                            return paths.get().deliveriesPerConnection(key.source(), key.site());
                        }

                        @Override
                        public long connectionRateCount(ReadyKey key) {
                            var rate = paths.get().connectionRate(key.source(), key.site());
                            return rate == null ? 0 : rate.count();
                        }

                        @Override
                        public long connectionRatePeriodNanos(ReadyKey key) {
                            var rate = paths.get().connectionRate(key.source(), key.site());
                            return rate == null ? 1 : rate.period().toNanos();
                        }

                        @Override
                        public int connectionRateBurst(ReadyKey key) {
                            var rate = paths.get().connectionRate(key.source(), key.site());
                            return rate == null ? 1 : rate.burst();
                        }

                        @Override
                        public SharedConnectionCap shared(ReadyKey key) {
                            if (key.site().smarthostName() != null) {
                                return null;
                            }
                            io.sluice.shaping.PathShape shape = paths.get().shape(key.site());
                            if (shape.provider() == null) {
                                return null;
                            }
                            // Every provider's pools share one cap object for good (a pool never changes caps, so
                            // its connections' counts stay right); a reload sets its number, NONE without a total.
                            int total = shape.totalConnections() > 0 ? shape.totalConnections()
                                    : SharedConnectionCap.NONE;
                            SharedConnectionCap cap = totals.computeIfAbsent(shape.provider(),
                                    p -> new SharedConnectionCap(p, total));
                            cap.cap(total);
                            return cap;
                        }
                    });
            SchedulerOptions options = SchedulerOptions.from(settings.delivery(), settings.queue());
            Scheduler[] scheduler = new Scheduler[1];
            AttemptTimer attempts = new AttemptTimer(options.maxInFlight(), metrics.delivery());
            AtomicReference<Classifier> classifier = new AtomicReference<>(Classifier.of(settings.bounces()));
            dispatcher = new DeliveryDispatcher(journal, pools, settings.delivery(), loops.group(),
                    attempts.observing(r -> scheduler[0].offerResult(r)), PooledByteBufAllocator.DEFAULT,
                    options.maxInFlight(), events, classifier::get).returnPaths(returnPaths);
            AgentRunner[] runner = new AgentRunner[1];
            scheduler[0] = new Scheduler(options, RetryPolicy.from(settings.delivery()), resolver,
                    attempts.timing(dispatcher), writer, dsn != null ? dsn : BounceSink.NONE, events,
                    SystemEpochClock.INSTANCE, new Random(), () -> wake(runner[0]));
            DeliveryGauges.bind(metrics, scheduler[0].counters(), pools, resolver.counters(),
                    scheduler[0]::smarthosts, scheduler[0]::shapingState, () -> providerNames(paths.get()),
                    () -> connectors.sourceNames(), scheduler[0]::rotation, scheduler[0]::warmupState);
            if (resolver.mtaSts() != null) {
                io.sluice.dns.MtaStsCounters sts = resolver.mtaSts().counters();
                metrics.bindMtaSts(new io.sluice.metrics.SluiceMetrics.MtaStsReader() {
                    @Override
                    public long fetches(boolean ok) {
                        return ok ? sts.fetchedCount() : sts.fetchFailedCount();
                    }

                    @Override
                    public long failures(String mode, String reason) {
                        return sts.failures(io.sluice.dns.MtaStsPolicy.Mode.valueOf(mode.toUpperCase(
                                java.util.Locale.ROOT)), io.sluice.dns.MtaStsCounters.Failure.valueOf(
                                reason.toUpperCase(java.util.Locale.ROOT)));
                    }
                });
            }
            scheduler[0].changeEgress(Router.compile(settings.egress()),
                    EgressPlan.unusableSources(settings.egress()));
            scheduler[0].changePathPolicy(paths.get());
            scheduler[0].useSuppression(suppression, hardBounces);
            scheduler[0].loadRecovered(recovered);
            scheduler[0].restoreSteering(steering); // before the runner: nothing suspended may go out first
            StateFilePersister<ShapingState> actions = new StateFilePersister<>(journal.dir(), ShapingState.FILE_NAME,
                    ShapingState::write);
            scheduler[0].persistShapingWith(actions::changed);
            scheduler[0].restoreShaping(shaping); // before the runner too: a suspended path stays suspended
            StateFilePersister<WarmupState> ramp = new StateFilePersister<>(journal.dir(), WarmupState.FILE_NAME,
                    WarmupState::write);
            scheduler[0].persistWarmupWith(ramp::changed);
            scheduler[0].restoreWarmup(warmup);
            scheduler[0].changeWarmup(settings.egress().sources(), settings.shaping().rules());
            handoff.connect(scheduler[0]);
            dispatcher.start();
            ErrorHandler errors = e -> LOG.error("scheduler error", e);
            runner[0] = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, MAX_PARK_NANOS), errors, null,
                    scheduler[0]);
            AgentRunner.startOnThread(runner[0]);
            DeliveryStage stage = new DeliveryStage(resolver, pools, dispatcher, scheduler[0], runner[0], dsn,
                    connectors, paths, classifier);
            stage.persisters = List.of(actions, ramp);
            return stage;
        } catch (RuntimeException | Error e) {
            closeAll(null, dsn, dispatcher, pools, resolver);
            throw e;
        }
    }

    /** The providers of the policy in force and {@code default} (the label values of sluice_shaping_actions). */
    private static java.util.List<String> providerNames(PathPolicy policy) {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add("default");
        for (io.sluice.shaping.PathShape p : policy.providers()) {
            names.add(p.provider());
        }
        return names;
    }

    /**
     * The connector of a pool: towards a smarthost, or to MX hosts with the path's TLS and idle timeout; a site whose
     * domains' MTA-STS policy is in enforce mode gets {@code verify}, whatever the path says.
     */
    private static io.sluice.delivery.OutboundConnector connector(SourceConnectors connectors, PathPolicy paths,
                                                                  ReadyKey key) {
        if (key.site().smarthostName() != null) {
            return connectors.connector(key.source(), key.site().smarthostName());
        }
        io.sluice.shaping.PathShape shape = paths.shape(key.site());
        return connectors.connector(key.source(), key.site().mtaSts() == io.sluice.dns.MtaStsPolicy.Mode.ENFORCE
                ? io.sluice.config.DeliverySettings.OutboundTls.VERIFY : shape.tls(), shape.idleTimeout());
    }

    /** Whether DNS answers, for readiness and status (thread-safe). */
    ResolverHealth resolverHealth() {
        return resolver.health();
    }

    /** The scheduler, for the admin API's snapshot requests (thread-safe entry points only). */
    Scheduler scheduler() {
        return scheduler;
    }

    /** Unparks the scheduler thread; before the runner exists, the first park is short anyway. */
    private static void wake(AgentRunner runner) {
        Thread thread = runner == null ? null : runner.thread();
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void close() {
        scheduler.stopDispatching();
        try {
            dispatcher.close(); // hands back what it had not started; deliveries in flight go on
            awaitInFlight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(runner, dsn, null, pools, resolver);
        scheduler.persistNow(); // the scheduler thread has ended: its last warm-up counts are published here
        for (StateFilePersister<?> p : persisters) {
            p.flush(); // a clean stop writes what a crash might lose
        }
    }

    /** Waits (bounded) until no delivery is in flight and the scheduler has offered every record to the writer. */
    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_GRACE_MILLIS);
        while (dispatcher.outstanding() > 0 || !scheduler.isDrained()) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("delivery stopped with {} tasks still in flight after {} ms; their recipients stay pending "
                        + "and are tried again after restart", dispatcher.outstanding(), IN_FLIGHT_GRACE_MILLIS);
                return;
            }
            Thread.sleep(10);
        }
    }

    private static void closeAll(AgentRunner runner, DsnStage dsn, DeliveryDispatcher dispatcher,
                                 ConnectionPools<ReadyKey> pools, MxResolver resolver) {
        if (runner != null) {
            runner.close();
        }
        if (dsn != null) {
            dsn.close(); // after the scheduler (no more offers), before the journal writer (Daemon closes it later)
        }
        if (dispatcher != null) {
            try {
                dispatcher.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pools != null) {
            try {
                pools.close().get(POOLS_CLOSE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("connection pools did not close cleanly", e);
            }
        }
        resolver.close();
    }
}
