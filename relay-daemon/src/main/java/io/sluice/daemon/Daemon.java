package io.sluice.daemon;

import io.sluice.admin.AdminApiRoutes;
import io.sluice.admin.AdminServer;
import io.sluice.admin.BearerToken;
import io.sluice.admin.HealthRoutes;
import io.sluice.admin.MetricsRoute;
import io.sluice.admin.QueueActionRoutes;
import io.sluice.admin.ReloadRoute;
import io.sluice.admin.RouteTable;
import io.sluice.admin.SuppressionRoutes;
import io.sluice.config.AdminSettings;
import io.sluice.config.ListenerSettings;
import io.sluice.config.ReloadOutcome;
import io.sluice.config.Settings;
import io.sluice.config.SettingsHolder;
import io.sluice.events.EventLog;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.EventStream;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalLock;
import io.sluice.journal.JournalObserver;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.PendingSet;
import io.sluice.journal.Recovery;
import io.sluice.journal.RecoveryResult;
import io.sluice.journal.WriterOptions;
import io.sluice.metrics.JournalMetrics;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.scheduler.QueuedHandoff;
import io.sluice.scheduler.ShapingState;
import io.sluice.suppression.SuppressionList;
import io.sluice.bounce.intake.FeedbackIndex;
import io.sluice.bounce.intake.FeedbackIntake;
import io.sluice.bounce.intake.FeedbackKey;
import io.sluice.bounce.intake.FeedbackMatcher;
import io.sluice.bounce.intake.FeedbackReturnPaths;
import io.sluice.model.UnsubscribeToken;
import io.sluice.model.VerpCodec;
import io.sluice.web.UnsubscribeLinks;
import io.sluice.web.UnsubscribeRequests;
import io.sluice.scheduler.WarmupState;
import io.sluice.scheduler.SteeringState;
import io.sluice.smtp.server.SmtpServer;
import io.sluice.smtp.server.auth.AuthVerifier;
import io.sluice.smtp.server.auth.UsersFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every stage from one {@link Settings} snapshot, starts them in dependency order and
 * stops them in reverse (docs/architecture.md "Shutdown").
 *
 * <p>Start: first what can fail without touching the journal ({@link StartupChecks}: create the admin token file
 * when it is missing, then check token, TLS and users files,
 * then bindable ports) and the journal lock ({@link JournalLock}: one daemon per journal, so a second one never
 * recovers and delivers the first one's mail); a failure there leaves the journal as it was. Then open the journal,
 * recover the pending set from {@code state/} (logging count and time), start the
 * journal writer (its queued listener feeds the scheduler through a {@link QueuedHandoff}), start the
 * {@link DeliveryStage} (which loads the recovered pending set into the scheduler), bind the admin endpoint and the
 * SMTP listeners. Any failure stops what was started and throws.
 *
 * <p>Stop ({@link #shutdown}, idempotent, from any thread): close the listeners, answer idle sessions
 * {@code 421 4.3.2}, let DATA in progress finish (10 s), stop delivery ({@link DeliveryStage#close}: no new
 * tasks, deliveries in flight finish for up to 10 s and their OUTCOME/DEFERRED records reach the journal writer,
 * which is why the writer, the event log and the event loops are closed after it), then complete every message
 * handed to the journal, sync and close the journal, then the admin endpoint and the event loops, and last release
 * the journal lock.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    static final Duration DATA_GRACE = Duration.ofSeconds(10);
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(15);
    /** The suppression list's log, in the journal directory (it is state, like the journal). */
    public static final String SUPPRESSION_FILE = "suppression.log";
    /** The feedback index's directory, in the journal directory (docs/BOUNCES.md "Feedback intake"). */
    public static final String FEEDBACK_INDEX_DIR = "feedback-index";
    /** Exit status after the journal writer failed (EX_TEMPFAIL): systemd's {@code Restart=on-failure} restarts. */
    public static final int EXIT_JOURNAL_FAILED = 75;

    private final SettingsHolder settings;
    private final SluiceMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long startedMillis = System.currentTimeMillis();
    private final Map<String, AuthVerifier> authVerifiers = new HashMap<>();
    private final ConfigReloader reloader;
    private JournalLock lock;
    private Journal journal;
    private JournalWriter writer;
    private EventLog events;
    private EventLoops eventLoops;
    private DeliveryStage delivery;
    /** The suppression list ({@code <journal.dir>/suppression.log}) and what feeds it hard bounces. */
    private SuppressionList suppression;
    private HardBounceSuppressor hardBounces;
    /** The feedback loop: what was sent (null without a feedback listener) and the intake of such a listener. */
    private FeedbackIndex feedbackIndex;
    private FeedbackIntake feedbackIntake;
    /** DKIM signing at accept; its keys are swapped on reload. */
    private io.sluice.smtp.server.DkimStage dkim;
    /** The public one-click unsubscribe listener ({@code web}); null when off. */
    private io.sluice.web.UnsubscribeServer web;
    /** The routes as ingress asks them which recipients get unsubscribe headers; replaced on reload. */
    private volatile AcceptRoutes acceptRoutes;

    /** A snapshot's routes, compiled, and whether any adds unsubscribe headers. */
    private record AcceptRoutes(io.sluice.routing.Router router, boolean anyUnsubscribe) {
        static AcceptRoutes of(Settings s) {
            return new AcceptRoutes(io.sluice.routing.Router.compile(s.egress()),
                    s.egress().routes().stream().anyMatch(r -> r.unsubscribe() != null));
        }
    }
    private volatile SmtpServer smtp;
    private AdminServer admin;
    private boolean shutDown;
    private volatile int exitStatus;

    private Daemon(Settings settings) {
        this.settings = new SettingsHolder(settings);
        this.metrics = new SluiceMetrics();
        this.reloader = new ConfigReloader(this.settings, this::prepareReload);
    }

    /** Builds and starts everything; on failure releases what was started and rethrows. */
    public static Daemon start(Settings settings) throws Exception {
        Daemon daemon = new Daemon(settings);
        try {
            daemon.startStages();
            return daemon;
        } catch (Exception | Error e) {
            daemon.shutdown();
            throw e;
        }
    }

    private void startStages() throws Exception {
        Settings current = settings.current();
        Path journalDir = current.journal().dir();
        Path createdToken = StartupChecks.createTokenFile(current);
        if (createdToken != null) {
            LOG.info("created admin token file {} (random, mode 0600); sluice status and the other admin commands "
                    + "read it", createdToken.toAbsolutePath());
        }
        StartupChecks.requireUsableFiles(current);
        StartupChecks.warnings(current).forEach(w -> LOG.warn("{}", w));
        // An existing journal is locked before the port checks, so a second daemon with the same config is told
        // which PID holds the journal rather than "address in use"; a new one is created only after every check.
        if (Files.isDirectory(journalDir)) {
            lock = JournalLock.acquire(journalDir);
        }
        StartupChecks.requireBindablePorts(current);
        if (lock == null) {
            lock = JournalLock.acquire(journalDir);
        }
        journal = Journal.open(current.journal(), current.smtp().maxMessageBytes());
        RecoveryResult recovered = Recovery.recover(journal);
        LOG.info("journal {}: {}", journal.dir(), recovered);
        JournalMetrics journalMetrics = metrics.journal();
        QueuedHandoff handoff = new QueuedHandoff();
        writer = JournalWriter.start(journal, recovered, new WriterOptions()
                .checkpointInterval(current.journal().checkpointInterval())
                .minFreeBytes(() -> settings.current().journal().minFreeBytes())
                .failureListener(this::journalFailed)
                .queuedListener(handoff)
                .observer(new JournalObserver() {
                    @Override
                    public void onAppend(long appendNanos, int bodyBytes) {
                        journalMetrics.appendNanos(appendNanos);
                    }

                    @Override
                    public void onSync(long syncNanos, int batchSize, int outcomes) {
                        journalMetrics.syncNanos(syncNanos);
                        journalMetrics.batchSize(batchSize);
                    }
                }));
        events = EventLog.start(EventStream.of(journal), current.events());
        metrics.bindEventsDropped(events::dropped);
        metrics.bindEventLogGaps(events::gaps);
        metrics.bindQueuePendingMessages(recovered.pending()::pendingMessages);
        metrics.bindQueuePendingRecipients(recovered.pending()::pendingRecipients);
        metrics.bindQueueOldestPendingAge(() -> recovered.pending().oldest().ageSeconds(System.currentTimeMillis()));
        metrics.bindJournalFreeBytes(journal::freeBytes);
        metrics.journalStorage().bind(new JournalStorageView(journal));

        eventLoops = new EventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()));
        // Load order (Scheduler#loadRecovered): after the writer started, before ingress opens.
        SteeringState steering = SteeringState.read(journal.dir(), System.currentTimeMillis());
        if (!steering.equals(SteeringState.EMPTY)) {
            LOG.info("operator suspensions and holds in force: {}", steering.text().lines().skip(1).toList());
        }
        ShapingState shaping = ShapingState.read(journal.dir(), System.currentTimeMillis());
        if (!shaping.actions().isEmpty()) {
            LOG.info("shaping actions in force: {}", shaping.actions().stream()
                    .map(a -> a.source() + " " + a.target() + ": " + a.describe()).toList());
        }
        WarmupState warmup = WarmupState.read(journal.dir());
        long loading = System.nanoTime();
        suppression = SuppressionList.open(journal.dir().resolve(SUPPRESSION_FILE));
        LOG.info("suppression list: {} entries, loaded in {} ms", suppression.size(),
                (System.nanoTime() - loading) / 1_000_000);
        hardBounces = new HardBounceSuppressor(suppression, metrics.bounces());
        metrics.bounces().bindSuppressionEntries(suppression::size);
        // Always: a reload may put VERP on a route, and its mail must then leave with signed return paths.
        byte[] feedbackKey = FeedbackKey.loadOrCreate(current.feedback().keyFile(journal.dir()));
        VerpCodec verp = VerpCodec.bounces(feedbackKey);
        VerpCodec unsubscribeMail = VerpCodec.unsubscribes(feedbackKey);
        UnsubscribeToken unsubscribeLinks = new UnsubscribeToken(feedbackKey);
        UnsubscribeRequests unsubscribes = new UnsubscribeRequests(suppression, events, metrics.feedback(),
                System::currentTimeMillis);
        acceptRoutes = AcceptRoutes.of(current);
        boolean feedbackListener = current.listeners().stream()
                .anyMatch(l -> l.role() == ListenerSettings.Role.FEEDBACK);
        if (feedbackListener) {
            loading = System.nanoTime();
            feedbackIndex = FeedbackIndex.open(journal.dir().resolve(FEEDBACK_INDEX_DIR),
                    current.feedback().indexDays(), System::currentTimeMillis);
            LOG.info("feedback index: {} keys, loaded in {} ms", feedbackIndex.size(),
                    (System.nanoTime() - loading) / 1_000_000);
        }
        delivery = DeliveryStage.start(current, journal, writer, recovered.pending(), eventLoops, handoff,
                new DeliveryEventMetrics(metrics.delivery(), metrics.bounces(), events), metrics, steering, shaping,
                warmup,
                (recipient, inputs, receivedAt, now) -> suppression.afterData(recipient, inputs.senderDomain(),
                        inputs.authUser(), inputs.fromDomain(), now, receivedAt), hardBounces,
                new FeedbackReturnPaths(verp, feedbackIndex));
        if (feedbackListener) {
            feedbackIntake = FeedbackIntake.start(new FeedbackMatcher(verp, unsubscribeMail, unsubscribes,
                    feedbackIndex, delivery.classifier(), () -> settings.current().feedbackDomains(), suppression,
                    events, metrics.feedback(), metrics.bounces()));
        }
        if (current.web().enabled()) {
            web = new io.sluice.web.UnsubscribeServer(current.web(), eventLoops.group(),
                    eventLoops.serverChannelClass(), unsubscribeLinks, unsubscribes, metrics.feedback());
            web.start();
            LOG.info("web (one-click unsubscribe) on {}:{} ({})", current.web().address(), web.port(),
                    current.web().tls() ? "https" : "http");
        }
        dkim = new io.sluice.smtp.server.DkimStage(io.sluice.smtp.server.DkimStage.keysOf(current.dkim()),
                Math.max(1, Runtime.getRuntime().availableProcessors()), metrics.dkim());
        if (!current.dkim().keys().isEmpty()) {
            LOG.info("dkim: {} key(s) for {}", current.dkim().keys().size(), current.dkim().keys().stream()
                    .map(k -> k.selector() + "._domainkey." + k.domain() + " (" + k.algorithm() + ")").toList());
        }
        UnsubscribeLinks links = new UnsubscribeLinks(() -> acceptRoutes.anyUnsubscribe(),
                (inputs, domain) -> acceptRoutes.router().route(inputs, domain).unsubscribe(), unsubscribeLinks,
                unsubscribeMail);
        for (ListenerSettings listener : current.listeners()) {
            if (listener.auth().enabled()) {
                authVerifiers.put(listener.name(),
                        AuthVerifier.create(listener.auth(), UsersFile.load(listener.auth().usersFile())));
            }
        }
        startAdmin(current.admin(), recovered.pending());
        smtp = new SmtpServer(new SmtpServer.Dependencies(settings, eventLoops.group(),
                eventLoops.serverChannelClass(), writer, journal::nextMessageId,
                recovered.pending()::pendingRecipients, journal::freeBytes,
                name -> new IngressMetrics(metrics.forListener(name)), authVerifiers, events,
                recovered.pending()::pendingRecipientsOf,
                (recipient, senderDomain, auth) -> suppression.atRcpt(recipient, senderDomain, auth,
                        System.currentTimeMillis()), feedbackIntake, links, dkim));
        smtp.start();
        LOG.info("sluice ready");
    }

    private void startAdmin(AdminSettings settings, PendingSet pending) throws Exception {
        if (!settings.enabled()) {
            return;
        }
        BearerToken token = settings.tokenFile() == null ? null : BearerToken.load(settings.tokenFile());
        RouteTable.Builder routes = RouteTable.builder()
                .bearerToken(token)
                .add(HealthRoutes.healthz())
                .add(HealthRoutes.readyz(this::notReadyReason, this::readinessWarning))
                .add(MetricsRoute.route(metrics.registry()))
                .add(ReloadRoute.route(this::reload));
        AdminApiRoutes.routes(new AdminApiBinding(this.settings, journal, writer, pending, delivery.scheduler(),
                () -> smtp, startedMillis, delivery.resolverHealth())).forEach(routes::add);
        SuppressionRoutes.routes(new SuppressionBinding(suppression)).forEach(routes::add);
        QueueActionRoutes.routes(new QueueActionBinding(delivery.scheduler(), journal.dir(), events, name -> {
            io.sluice.config.ShapingSettings.Rules rules = this.settings.current().shaping().rules();
            return rules != null && rules.provider(name) != null;
        }))
                .forEach(routes::add);
        admin = new AdminServer(new InetSocketAddress(settings.address(), settings.port()), eventLoops.group(),
                eventLoops.serverChannelClass(), routes.build());
        admin.start();
        LOG.info("admin http on {}", admin.localAddress());
    }

    /**
     * The journal writer failed for good (writer thread; it has already failed every waiting transaction with
     * {@code 451 4.3.0} and refuses new ones, and {@code /readyz} says why). Nothing more can be acknowledged or
     * recorded, so the daemon stops with {@link #EXIT_JOURNAL_FAILED}, and the service manager
     * ({@code Restart=on-failure}) starts it again: recovery keeps every acknowledged message, and a disk still
     * full then gets {@code 452 4.3.1} at MAIL instead of a failed write.
     */
    private void journalFailed(Throwable cause) {
        LOG.error("journal writer failed ({}); stopping with exit status {} so that the service manager restarts "
                + "sluice", cause.toString(), EXIT_JOURNAL_FAILED);
        exitStatus = EXIT_JOURNAL_FAILED;
        new Thread(this::shutdown, "sluice-journal-failed").start();
    }

    /** 0 after a requested stop; {@link #EXIT_JOURNAL_FAILED} when the journal writer failed. */
    public int exitStatus() {
        return exitStatus;
    }

    /** Null when ready: listeners bound and the journal writable; otherwise why not. */
    private String notReadyReason() {
        if (smtp == null || !smtp.isListening()) {
            return "listeners not bound";
        }
        if (writer.failure() != null) {
            return "journal write failed: " + writer.failure().getMessage();
        }
        if (journal.freeBytes() < settings.current().journal().minFreeBytes()) {
            return "journal disk below journal.min_free";
        }
        return null;
    }

    /** Null, or what works badly without making the daemon unready: DNS not answering (mail is deferred). */
    private String readinessWarning() {
        DeliveryStage stage = delivery;
        String dns = stage == null ? null : stage.resolverHealth().failure();
        return dns == null ? null : "DNS failing: " + dns + "; mail is accepted and deferred";
    }

    /**
     * Reads the config file again and applies it if valid and nothing in it needs a restart; otherwise changes
     * nothing and says why (see {@link ConfigReloader}). Any thread but an event loop; reloads run one at a time.
     */
    public ReloadOutcome reload() {
        return reload("admin-api");
    }

    /**
     * Reloads the config file ({@link ConfigReloader}) and records it as an {@code admin} event (action
     * {@code reload}, target the file, count 1 if applied else 0, text the refusal lines).
     *
     * @param actor who asked: {@code admin-api} (the reload route) or {@code sighup}
     */
    public ReloadOutcome reload(String actor) {
        synchronized (this) {
            if (shutDown || smtp == null) {
                return ReloadOutcome.invalid(java.util.List.of("reload: the daemon is not running"));
            }
        }
        ReloadOutcome outcome = reloader.reload();
        EventLog log = events;
        if (log != null) {
            log.publish(LifecycleEvent.admin(System.currentTimeMillis(), "reload",
                    String.valueOf(settings.current().source()), actor, outcome.applied() ? 1 : 0,
                    outcome.applied() ? "applied" : String.join("; ", outcome.lines())));
        }
        return outcome;
    }

    /** What a reload must build before the swap (may fail), and the step that installs it (must not). */
    private Runnable prepareReload(Settings next) throws Exception {
        if (next.admin().enabled() && next.admin().tokenFile() != null) {
            BearerToken.load(next.admin().tokenFile()); // same checks as at start; the token in force stays
        }
        Runnable tls = smtp.prepareTlsReload(next);
        AcceptRoutes routes = AcceptRoutes.of(next);
        io.sluice.signing.SigningKeys signingKeys = io.sluice.smtp.server.DkimStage.keysOf(next.dkim());
        return () -> {
            tls.run();
            delivery.reload(next);
            acceptRoutes = routes;
            dkim.keys(signingKeys);
        };
    }

    /** The port listener {@code index} is bound to (tests configure port 0). */
    public int smtpPort(int index) {
        return smtp.boundPort(index);
    }

    /** The admin port, or -1 when admin is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public SettingsHolder settings() {
        return settings;
    }

    /** Orderly stop; safe to call more than once and from any thread. */
    public void shutdown() {
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
        }
        LOG.info("shutting down");
        long start = System.nanoTime();
        try {
            if (smtp != null) {
                smtp.stopAccepting();
                smtp.drainSessions(DATA_GRACE, DRAIN_LIMIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(web);
            closeQuietly(dkim); // after the listeners: a session waits for its signatures before its 250
            closeQuietly(feedbackIntake); // after the listeners: it answers what they handed it
            closeQuietly(delivery);
            closeQuietly(feedbackIndex);
            closeQuietly(hardBounces); // after the scheduler: it hands over its last hard bounces while stopping
            closeQuietly(suppression);
            closeQuietly(events);
            closeQuietly(writer);
            closeQuietly(journal);
            closeQuietly(admin);
            authVerifiers.values().forEach(Daemon::closeQuietly);
            closeQuietly(eventLoops);
            closeQuietly(lock); // last: nothing of this daemon touches the journal any more
            LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
            stopped.countDown();
        }
    }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        shutdown();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("error while stopping {}", closeable.getClass().getSimpleName(), e);
        }
    }
}
