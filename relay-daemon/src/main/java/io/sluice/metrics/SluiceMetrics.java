package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Every Sluice metric, declared in one place, on a registry of its own.
 *
 * <p>Role: the single catalogue of metric names, help texts, label names and buckets (STYLE #10). Other packages
 * never build metrics; they record through pre-bound handles ({@link #forListener}, {@link #journal()},
 * {@link #delivery()}) or feed a callback gauge or counter ({@code bind*}). Names are prefixed {@code sluice_};
 * label values come from configuration (listener names), from closed enums ({@link RejectReason},
 * {@link ConnectionRejectReason}, {@link DeliveryOutcome}, {@link DnsFailure}) or, for sites, from a bounded set
 * (the busiest {@value DeliveryMetrics#MAX_SITE_LABELS} plus {@code other}), so cardinality is bounded. The
 * metrics reference is docs/metrics.md. Counter names below are the exposition names; the client library keeps
 * the {@code _total} suffix.
 *
 * <p>Output: {@link #registry()} is scraped by the admin server's {@code /metrics}. It is not the library's static
 * default registry, so tests can build several instances side by side.
 *
 * <p>Threading: construction is single-threaded; every other method is thread-safe. Recording through the handles
 * costs a few atomic adds and allocates nothing: counters are the client library's (without exemplars), but its
 * {@code Histogram.observe} and {@code Gauge.inc} allocate a lambda per call in 1.9.0, so histograms are our
 * {@link BucketHistogram} and the connection gauge reads {@link java.util.concurrent.atomic.LongAdder}s at scrape.
 *
 * <p>Failure modes: a bound callback that throws during a scrape is skipped for that scrape (its series is absent)
 * and counted in {@value #CALLBACK_FAILURES}, so one broken supplier cannot take down {@code /metrics}.
 */
public final class SluiceMetrics {
    public static final String CONNECTIONS_CURRENT = "sluice_connections_current";
    public static final String CONNECTIONS = "sluice_connections_total";
    public static final String CONNECTIONS_REJECTED = "sluice_connections_rejected_total";
    public static final String MESSAGES_RECEIVED = "sluice_messages_received_total";
    public static final String RECIPIENTS_RECEIVED = "sluice_recipients_received_total";
    public static final String MESSAGES_RECEIVED_BYTES = "sluice_messages_received_bytes_total";
    public static final String SMTP_REJECTIONS = "sluice_smtp_rejections_total";
    public static final String SUBMISSION_SECONDS = "sluice_submission_seconds";
    public static final String JOURNAL_APPEND_SECONDS = "sluice_journal_append_seconds";
    public static final String JOURNAL_SYNC_SECONDS = "sluice_journal_sync_seconds";
    public static final String JOURNAL_BATCH_SIZE = "sluice_journal_batch_size";
    public static final String QUEUE_PENDING_MESSAGES = "sluice_queue_pending_messages";
    public static final String QUEUE_PENDING_RECIPIENTS = "sluice_queue_pending_recipients";
    public static final String QUEUE_OLDEST_PENDING_AGE = "sluice_queue_oldest_pending_age_seconds";
    public static final String JOURNAL_FREE_BYTES = "sluice_journal_free_bytes";
    public static final String CALLBACK_FAILURES = "sluice_metrics_callback_failures_total";
    public static final String DELIVERIES = "sluice_deliveries_total";
    public static final String DELIVERIES_BY_SOURCE = "sluice_deliveries_by_source_total";
    public static final String DELIVERIES_TLS = "sluice_deliveries_tls_total";
    public static final String DELIVERY_ATTEMPT_SECONDS = "sluice_delivery_attempt_seconds";
    public static final String DELIVERY_END_TO_END_SECONDS = "sluice_delivery_end_to_end_seconds";
    public static final String QUEUE_SCHEDULED_RECIPIENTS = "sluice_queue_scheduled_recipients";
    public static final String QUEUE_READY_RECIPIENTS = "sluice_queue_ready_recipients";
    public static final String QUEUE_IN_FLIGHT_RECIPIENTS = "sluice_queue_in_flight_recipients";
    public static final String QUEUE_HELD_RECIPIENTS = "sluice_queue_held_recipients";
    public static final String QUEUE_SUSPENDED_RECIPIENTS = "sluice_queue_suspended_recipients";
    public static final String DEAD_SITES = "sluice_dead_sites";
    public static final String OUTBOUND_CONNECTIONS_CURRENT = "sluice_outbound_connections_current";
    public static final String DNS_LOOKUPS = "sluice_dns_lookups_total";
    public static final String DNS_LOOKUP_FAILURES = "sluice_dns_lookup_failures_total";
    public static final String MTA_STS_FETCHES = "sluice_mta_sts_fetches_total";
    public static final String MTA_STS_FAILURES = "sluice_mta_sts_failures_total";
    public static final String SMARTHOST_CIRCUIT_OPEN = "sluice_smarthost_circuit_open";
    public static final String SMARTHOST_CIRCUIT_OPENED = "sluice_smarthost_circuit_opened_total";
    public static final String SHAPING_ACTIONS = "sluice_shaping_actions";
    public static final String SOURCE_OUT_OF_ROTATION = "sluice_source_out_of_rotation";
    public static final String WARMUP_DAY = "sluice_warmup_day";
    public static final String WARMUP_SENT_TODAY = "sluice_warmup_sent_today";
    public static final String DELIVERIES_BY_ROUTE = "sluice_deliveries_by_route_total";
    public static final String DELIVERIES_BY_PROVIDER = "sluice_deliveries_by_provider_total";
    public static final String EGRESS_REROUTED = "sluice_egress_rerouted_recipients_total";
    public static final String EVENTS_DROPPED = "sluice_events_dropped_total";
    public static final String EVENT_LOG_GAPS = "sluice_event_log_gaps_total";

    public static final String LABEL_LISTENER = "listener";
    public static final String LABEL_REASON = "reason";
    public static final String LABEL_METRIC = "metric";
    public static final String LABEL_OUTCOME = "outcome";
    public static final String LABEL_SITE = "site";
    public static final String LABEL_SOURCE = "source";
    public static final String LABEL_KIND = "kind";

    /** Journal append and msync: 50 µs (a warm append) to 1 s (a stalled disk). */
    static final double[] JOURNAL_LATENCY_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
    /** End of DATA to 250: one msync at best, up to the soft back-pressure delay (1 s) plus a slow sync. */
    static final double[] SUBMISSION_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
    /** Messages per group commit: 1 when idle, growing with load. */
    static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    /** One delivery task: a warm connection and a fast MX (5 ms) to the longest SMTP timeouts (10 min). */
    static final double[] ATTEMPT_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0};
    /** Receipt to delivery: 10 ms on an idle relay to delivery.max_age (5 days) after retries. */
    static final double[] END_TO_END_BUCKETS = {
        0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 14400.0, 43200.0,
        86400.0, 259200.0, 432000.0};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, ListenerMetrics> listeners = new ConcurrentHashMap<>();

    private final Counter connections;
    private final Counter connectionsRejected;
    private final Counter messagesReceived;
    private final Counter recipientsReceived;
    private final Counter messageBytesReceived;
    private final Counter smtpRejections;
    private final BucketHistogram submissionSeconds;
    private final JournalMetrics journal;
    private final DeliveryMetrics delivery;
    private final JournalStorageMetrics journalStorage;

    private final BounceMetrics bounces;
    private final FeedbackMetrics feedback;
    private final DkimMetrics dkim;
    private final SuppliedGauge queuePendingMessages;
    private final SuppliedGauge queuePendingRecipients;
    private final SuppliedGauge queueOldestPendingAge;
    private final SuppliedGauge journalFreeBytes;
    private final SuppliedGauge queueScheduledRecipients;
    private final SuppliedGauge queueReadyRecipients;
    private final SuppliedGauge queueInFlightRecipients;
    private final SuppliedGauge queueHeldRecipients;
    private final SuppliedGauge queueSuspendedRecipients;
    private final SuppliedGauge deadSites;
    private final SuppliedGauge outboundConnections;
    private final SuppliedGauge dnsLookups;
    private final SuppliedGauge egressRerouted;
    private final SuppliedGauge eventsDropped;
    private final SuppliedGauge eventLogGaps;
    private final CounterDataPoint dnsFailuresCallbackFailed;
    private volatile ToLongFunction<DnsFailure> dnsFailures;
    private volatile MtaStsReader mtaSts;
    private volatile SmarthostCircuitReader smarthostCircuits;
    private volatile ShapingActionsReader shapingActions;
    private volatile ShapingActionsReader.RotationReader rotation;
    private volatile ShapingActionsReader.WarmupReader warmup;

    /** All Sluice metrics plus the JVM's (memory, GC, threads, classes, process). */
    public SluiceMetrics() {
        this(true);
    }

    /**
     * @param jvmMetrics also register the client library's JVM and process metrics; tests that build many
     *                   instances may leave them out, since each registration adds GC notification listeners
     */
    public SluiceMetrics(boolean jvmMetrics) {
        GaugeWithCallback.builder().name(CONNECTIONS_CURRENT).help("SMTP sessions open now")
                .labelNames(LABEL_LISTENER)
                .callback(cb -> listeners.values().forEach(l -> cb.call(l.connectionsCurrent(), l.listener())))
                .register(registry);
        connections = counter(CONNECTIONS, "SMTP sessions accepted", LABEL_LISTENER);
        connectionsRejected = counter(CONNECTIONS_REJECTED,
                "Connections refused before the SMTP greeting, by reason", LABEL_LISTENER, LABEL_REASON);
        messagesReceived = counter(MESSAGES_RECEIVED, "Messages acknowledged with 250 after DATA", LABEL_LISTENER);
        recipientsReceived = counter(RECIPIENTS_RECEIVED, "Recipients of acknowledged messages", LABEL_LISTENER);
        messageBytesReceived = counter(MESSAGES_RECEIVED_BYTES, "Bytes of acknowledged messages", LABEL_LISTENER);
        smtpRejections = counter(SMTP_REJECTIONS, "SMTP commands or messages refused, by reason",
                LABEL_LISTENER, LABEL_REASON);
        submissionSeconds = histogram(SUBMISSION_SECONDS, "Time from the end of DATA to the 250 reply",
                SUBMISSION_BUCKETS, Unit.SECONDS, LABEL_LISTENER);

        journal = new JournalMetrics(
                histogram(JOURNAL_APPEND_SECONDS, "Time to append one message to the journal",
                        JOURNAL_LATENCY_BUCKETS, Unit.SECONDS).labelValues(),
                histogram(JOURNAL_SYNC_SECONDS, "Time of one group-commit sync (msync) of the journal",
                        JOURNAL_LATENCY_BUCKETS, Unit.SECONDS).labelValues(),
                histogram(JOURNAL_BATCH_SIZE, "Messages made durable per group commit", BATCH_SIZE_BUCKETS, null)
                        .labelValues());

        delivery = new DeliveryMetrics(
                counter(DELIVERIES, "Recipient delivery decisions, by outcome and site (the busiest sites, then other)",
                        LABEL_OUTCOME, LABEL_SITE),
                counter(DELIVERIES_BY_SOURCE, "Recipient delivery decisions, by outcome and source address"
                        + " (none when no connection was made)", LABEL_OUTCOME, LABEL_SOURCE),
                counter(DELIVERIES_BY_ROUTE, "Recipient delivery decisions, by outcome, route and pool"
                        + " (none when the decision came before a route was chosen)", LABEL_OUTCOME, "route", "pool"),
                counter(DELIVERIES_BY_PROVIDER, "Recipient delivery decisions, by outcome and mailbox provider of the"
                        + " shaping rules (default: no provider matched; none: shaping off, a smarthost, or no site)",
                        LABEL_OUTCOME, "provider"),
                counter(DELIVERIES_TLS, "Recipients delivered, by how the session was protected: none (clear text),"
                        + " encrypted (TLS, peer not verified) or verified (TLS, peer chain validated)", "tls"),
                histogram(DELIVERY_ATTEMPT_SECONDS, "Time of one delivery task, from hand-off to the delivery stage"
                        + " to its result (connect, SMTP transaction, final reply)", ATTEMPT_BUCKETS, Unit.SECONDS)
                        .labelValues(),
                histogram(DELIVERY_END_TO_END_SECONDS, "Time from receipt of a message to delivery of a recipient",
                        END_TO_END_BUCKETS, Unit.SECONDS).labelValues(),
                DeliveryMetrics.MAX_SITE_LABELS, DeliveryMetrics.TRACKED_SITES, DeliveryMetrics.PROMOTE_AFTER);

        journalStorage = new JournalStorageMetrics(registry);
        bounces = new BounceMetrics(registry);
        feedback = new FeedbackMetrics(registry);
        dkim = new DkimMetrics(registry);

        // The registry collects in no fixed order, so a failure shows in the scrape where it happened or the next.
        Counter callbackFailures = Counter.builder().name(CALLBACK_FAILURES)
                .help("Scrapes where a gauge callback threw and its series was left out")
                .labelNames(LABEL_METRIC).withoutExemplars().build();
        queuePendingMessages = suppliedGauge(QUEUE_PENDING_MESSAGES,
                "Messages with at least one recipient not yet final", callbackFailures);
        queuePendingRecipients = suppliedGauge(QUEUE_PENDING_RECIPIENTS,
                "Recipients without a final outcome", callbackFailures);
        queueOldestPendingAge = suppliedGauge(QUEUE_OLDEST_PENDING_AGE,
                "Seconds since the oldest message with a pending recipient was received (0 when none)",
                callbackFailures);
        journalFreeBytes = suppliedGauge(JOURNAL_FREE_BYTES,
                "Usable bytes on the journal's file system", callbackFailures);
        queueScheduledRecipients = suppliedGauge(QUEUE_SCHEDULED_RECIPIENTS,
                "Recipients waiting for DNS or for a retry timer", callbackFailures);
        queueReadyRecipients = suppliedGauge(QUEUE_READY_RECIPIENTS,
                "Recipients in site ready queues", callbackFailures);
        queueInFlightRecipients = suppliedGauge(QUEUE_IN_FLIGHT_RECIPIENTS,
                "Recipients in delivery tasks not yet reported back", callbackFailures);
        queueHeldRecipients = suppliedGauge(QUEUE_HELD_RECIPIENTS,
                "Recipients held by an operator (sluice hold) until released", callbackFailures);
        queueSuspendedRecipients = suppliedGauge(QUEUE_SUSPENDED_RECIPIENTS,
                "Recipients waiting because an operator suspended their domain or site", callbackFailures);
        deadSites = suppliedGauge(DEAD_SITES, "Sites marked dead (every connection failed); probed, not retried",
                callbackFailures);
        outboundConnections = suppliedGauge(OUTBOUND_CONNECTIONS_CURRENT,
                "Outbound SMTP connections open now, over all pools", callbackFailures);
        dnsLookups = new SuppliedGauge(callbackFailures.labelValues(DNS_LOOKUPS));
        CounterWithCallback.builder().name(DNS_LOOKUPS).help("MX resolutions started (cache hits included)")
                .callback(cb -> dnsLookups.report(cb::call)).register(registry);
        egressRerouted = new SuppliedGauge(callbackFailures.labelValues(EGRESS_REROUTED));
        CounterWithCallback.builder().name(EGRESS_REROUTED)
                .help("Recipients placed again under new routes because a reload removed their source or smarthost")
                .callback(cb -> egressRerouted.report(cb::call)).register(registry);
        eventsDropped = new SuppliedGauge(callbackFailures.labelValues(EVENTS_DROPPED));
        CounterWithCallback.builder().name(EVENTS_DROPPED)
                .help("Lifecycle events dropped because the event log's queue was full or the journal's disk had "
                        + "no room (missing from events/)")
                .callback(cb -> eventsDropped.report(cb::call)).register(registry);
        eventLogGaps = new SuppliedGauge(callbackFailures.labelValues(EVENT_LOG_GAPS));
        CounterWithCallback.builder().name(EVENT_LOG_GAPS)
                .help("Times the JSON event log fell behind events.max_stream_size and lost events")
                .callback(cb -> eventLogGaps.report(cb::call)).register(registry);
        dnsFailuresCallbackFailed = callbackFailures.labelValues(DNS_LOOKUP_FAILURES);
        CounterWithCallback.builder().name(DNS_LOOKUP_FAILURES)
                .help("MX resolutions that gave no usable host, by kind").labelNames(LABEL_KIND)
                .callback(this::reportDnsFailures).register(registry);
        CounterDataPoint stsFailed = callbackFailures.labelValues(MTA_STS_FETCHES);
        CounterWithCallback.builder().name(MTA_STS_FETCHES)
                .help("MTA-STS policy fetches, by result (ok: a valid policy; failed: DNS, connection, TLS, HTTP or"
                        + " a malformed policy)").labelNames("result")
                .callback(cb -> guarded(stsFailed, () -> {
                    MtaStsReader r = mtaSts;
                    if (r != null) {
                        long ok = r.fetches(true);
                        long failed = r.fetches(false);
                        cb.call(ok, "ok");
                        cb.call(failed, "failed");
                    }
                })).register(registry);
        CounterWithCallback.builder().name(MTA_STS_FAILURES)
                .help("Deliveries that did not meet a domain's MTA-STS policy, by mode (enforce: not done that way;"
                        + " testing: done anyway) and reason (mx_mismatch: an MX host the policy does not list;"
                        + " tls_unverified: a delivery attempt over a session without verified TLS)").labelNames("mode", "reason")
                .callback(cb -> guarded(stsFailed, () -> {
                    MtaStsReader r = mtaSts;
                    if (r != null) {
                        long[] v = {r.failures("enforce", "mx_mismatch"), r.failures("testing", "mx_mismatch"),
                                r.failures("testing", "tls_unverified")};
                        cb.call(v[0], "enforce", "mx_mismatch");
                        cb.call(v[1], "testing", "mx_mismatch");
                        cb.call(v[2], "testing", "tls_unverified");
                    }
                })).register(registry);
        CounterDataPoint circuitsFailed = callbackFailures.labelValues(SMARTHOST_CIRCUIT_OPEN);
        GaugeWithCallback.builder().name(SMARTHOST_CIRCUIT_OPEN)
                .help("1 while a smarthost's circuit breaker is open or half-open (or its host has no address), "
                        + "0 while closed").labelNames("smarthost")
                .callback(cb -> readCircuits(circuitsFailed, (name, open, opened) -> cb.call(open ? 1 : 0, name)))
                .register(registry);
        CounterWithCallback.builder().name(SMARTHOST_CIRCUIT_OPENED)
                .help("Times a smarthost's circuit breaker opened").labelNames("smarthost")
                .callback(cb -> readCircuits(circuitsFailed, (name, open, opened) -> cb.call(opened, name)))
                .register(registry);
        CounterDataPoint shapingFailed = callbackFailures.labelValues(SHAPING_ACTIONS);
        GaugeWithCallback.builder().name(SHAPING_ACTIONS)
                .help("Delivery paths with a traffic-shaping action in force (conf/shaping.yaml automation), by "
                        + "provider (default: sites no provider matches) and action (suspend, message_rate, "
                        + "connections)").labelNames("provider", "action")
                .callback(cb -> guarded(shapingFailed, () -> {
                    ShapingActionsReader reader = shapingActions;
                    if (reader != null) {
                        reader.read((provider, action, paths) -> cb.call(paths, provider, action));
                    }
                }))
                .register(registry);
        CounterDataPoint rotationFailed = callbackFailures.labelValues(SOURCE_OUT_OF_ROTATION);
        GaugeWithCallback.builder().name(SOURCE_OUT_OF_ROTATION)
                .help("1 while a source is out of rotation for a provider (its block or deferral rate passed the "
                        + "shaping rules' rotation thresholds), 0 otherwise").labelNames("source", "provider")
                .callback(cb -> guarded(rotationFailed, () -> {
                    ShapingActionsReader.RotationReader reader = rotation;
                    if (reader != null) {
                        reader.read((source, provider, out) -> cb.call(out ? 1 : 0, source, provider));
                    }
                }))
                .register(registry);
        CounterDataPoint warmupFailed = callbackFailures.labelValues(WARMUP_DAY);
        GaugeWithCallback.builder().name(WARMUP_DAY)
                .help("The warm-up schedule day a source has reached (advancing only after clean days); 0 for a source "
                        + "that is not warming up").labelNames(LABEL_SOURCE)
                .callback(cb -> readWarmup(warmupFailed, (source, day, sent) -> cb.call(day, source)))
                .register(registry);
        GaugeWithCallback.builder().name(WARMUP_SENT_TODAY)
                .help("Messages a warming source took today (UTC) over all providers, counted against its daily caps;"
                        + " 0 for a source that is not warming up").labelNames(LABEL_SOURCE)
                .callback(cb -> readWarmup(warmupFailed, (source, day, sent) -> cb.call(sent, source)))
                .register(registry);
        registry.register(callbackFailures);

        if (jvmMetrics) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** The registry holding every metric above; scrape it for exposition. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The handles of one listener, created on first use with all its series at zero. Call it once per listener
     * (at bind) and keep the result: the lookup is a map access, the handles are not.
     */
    public ListenerMetrics forListener(String name) {
        Objects.requireNonNull(name, "name");
        return listeners.computeIfAbsent(name, this::bindListener);
    }

    /** The journal writer's handles. */
    public JournalMetrics journal() {
        return journal;
    }

    /** The journal's disk use and compaction series; bind the journal to them. */
    public JournalStorageMetrics journalStorage() {
        return journalStorage;
    }

    /** The feedback loop's handles (failures by reason, the suppression list). */
    public DkimMetrics dkim() {
        return dkim;
    }

    public FeedbackMetrics feedback() {
        return feedback;
    }

    public BounceMetrics bounces() {
        return bounces;
    }

    /** The delivery side's handles (outcomes by site, attempt and end-to-end latency). */
    public DeliveryMetrics delivery() {
        return delivery;
    }

    /** Feeds {@value #QUEUE_PENDING_MESSAGES}; called at each scrape, off the hot path. Replaces any earlier one. */
    public void bindQueuePendingMessages(LongSupplier supplier) {
        queuePendingMessages.bind(supplier);
    }

    /** Feeds {@value #QUEUE_PENDING_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueuePendingRecipients(LongSupplier supplier) {
        queuePendingRecipients.bind(supplier);
    }

    /**
     * Feeds {@value #QUEUE_OLDEST_PENDING_AGE}, in whole seconds; called at each scrape, so the supplier must be
     * O(1) (read a published value, never scan the queue). Replaces any earlier one.
     */
    public void bindQueueOldestPendingAge(LongSupplier seconds) {
        queueOldestPendingAge.bind(seconds);
    }

    /** Feeds {@value #JOURNAL_FREE_BYTES}; called at each scrape. Replaces any earlier one. */
    public void bindJournalFreeBytes(LongSupplier supplier) {
        journalFreeBytes.bind(supplier);
    }

    /** Feeds {@value #QUEUE_SCHEDULED_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueueScheduledRecipients(LongSupplier supplier) {
        queueScheduledRecipients.bind(supplier);
    }

    /** Feeds {@value #QUEUE_READY_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueueReadyRecipients(LongSupplier supplier) {
        queueReadyRecipients.bind(supplier);
    }

    /** Feeds {@value #QUEUE_IN_FLIGHT_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueueInFlightRecipients(LongSupplier supplier) {
        queueInFlightRecipients.bind(supplier);
    }

    /** Feeds {@value #QUEUE_HELD_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueueHeldRecipients(LongSupplier supplier) {
        queueHeldRecipients.bind(supplier);
    }

    /** Feeds {@value #QUEUE_SUSPENDED_RECIPIENTS}; called at each scrape. Replaces any earlier one. */
    public void bindQueueSuspendedRecipients(LongSupplier supplier) {
        queueSuspendedRecipients.bind(supplier);
    }

    /** Feeds {@value #DEAD_SITES}; called at each scrape. Replaces any earlier one. */
    public void bindDeadSites(LongSupplier supplier) {
        deadSites.bind(supplier);
    }

    /** Feeds {@value #OUTBOUND_CONNECTIONS_CURRENT}; called at each scrape. Replaces any earlier one. */
    public void bindOutboundConnections(LongSupplier supplier) {
        outboundConnections.bind(supplier);
    }

    /** Feeds {@value #DNS_LOOKUPS}, a count that only grows; called at each scrape. Replaces any earlier one. */
    public void bindDnsLookups(LongSupplier supplier) {
        dnsLookups.bind(supplier);
    }

    /** Feeds {@value #EGRESS_REROUTED}, a count that only grows; called at each scrape. Replaces any earlier one. */
    public void bindEgressRerouted(LongSupplier supplier) {
        egressRerouted.bind(supplier);
    }

    /** Feeds {@value #EVENTS_DROPPED}, a count that only grows; called at each scrape. Replaces any earlier one. */
    public void bindEventsDropped(LongSupplier supplier) {
        eventsDropped.bind(supplier);
    }

    /** Feeds {@value #EVENT_LOG_GAPS}, a count that only grows; called at each scrape. Replaces any earlier one. */
    public void bindEventLogGaps(LongSupplier supplier) {
        eventLogGaps.bind(supplier);
    }

    /**
     * Feeds {@value #DNS_LOOKUP_FAILURES}: the count so far of each kind (counts only grow); called at each scrape
     * once per kind. Replaces any earlier one.
     */
    public void bindDnsFailures(ToLongFunction<DnsFailure> counts) {
        dnsFailures = Objects.requireNonNull(counts, "counts");
    }

    /** MTA-STS counts, read at each scrape (counts only grow). */
    public interface MtaStsReader {
        /** Policy fetches that gave a valid policy ({@code ok}), or none. */
        long fetches(boolean ok);

        /** Failures under policies in {@code mode} (enforce, testing) for {@code reason}. */
        long failures(String mode, String reason);
    }

    /** Feeds {@value #MTA_STS_FETCHES} and {@value #MTA_STS_FAILURES}. Replaces any earlier one. */
    public void bindMtaSts(MtaStsReader reader) {
        mtaSts = Objects.requireNonNull(reader, "reader");
    }

    /** Feeds the warm-up gauges; called at each scrape. Replaces any earlier one. */
    public void bindWarmup(ShapingActionsReader.WarmupReader reader) {
        warmup = Objects.requireNonNull(reader, "reader");
    }

    private void readWarmup(CounterDataPoint failed, ShapingActionsReader.WarmupReader.Visitor visitor) {
        ShapingActionsReader.WarmupReader reader = warmup;
        if (reader != null) {
            guarded(failed, () -> reader.read(visitor));
        }
    }

    /** Runs a family's read; a source that throws leaves it short for this scrape and is counted in {@code failed}. */
    private static void guarded(CounterDataPoint failed, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            failed.inc();
        }
    }

    /** Feeds {@code sluice_source_out_of_rotation}; called at each scrape. Replaces any earlier one. */
    public void bindSourceRotation(ShapingActionsReader.RotationReader reader) {
        rotation = Objects.requireNonNull(reader, "reader");
    }

    /** Feeds {@code sluice_shaping_actions}; called at each scrape. Replaces any earlier one. */
    public void bindShapingActions(ShapingActionsReader reader) {
        shapingActions = Objects.requireNonNull(reader, "reader");
    }

    /** Feeds the smarthost circuit families; called at each scrape. Replaces any earlier one. */
    public void bindSmarthostCircuits(SmarthostCircuitReader reader) {
        smarthostCircuits = Objects.requireNonNull(reader, "reader");
    }

    private void readCircuits(CounterDataPoint failed, SmarthostCircuitReader.Visitor visitor) {
        SmarthostCircuitReader reader = smarthostCircuits;
        if (reader != null) {
            guarded(failed, () -> reader.read(visitor));
        }
    }

    /** All kinds or none: a throwing source leaves the family empty for this scrape and is counted. */
    private void reportDnsFailures(CounterWithCallback.Callback callback) {
        ToLongFunction<DnsFailure> counts = dnsFailures;
        if (counts == null) {
            return;
        }
        DnsFailure[] kinds = DnsFailure.values();
        long[] values = new long[kinds.length];
        try {
            for (DnsFailure kind : kinds) {
                values[kind.ordinal()] = counts.applyAsLong(kind);
            }
        } catch (RuntimeException e) {
            dnsFailuresCallbackFailed.inc();
            return;
        }
        for (DnsFailure kind : kinds) {
            callback.call(values[kind.ordinal()], kind.label());
        }
    }

    private ListenerMetrics bindListener(String name) {
        CounterDataPoint[] rejected = new CounterDataPoint[ConnectionRejectReason.values().length];
        for (ConnectionRejectReason r : ConnectionRejectReason.values()) {
            rejected[r.ordinal()] = connectionsRejected.labelValues(name, r.label());
        }
        CounterDataPoint[] refusals = new CounterDataPoint[RejectReason.values().length];
        for (RejectReason r : RejectReason.values()) {
            refusals[r.ordinal()] = smtpRejections.labelValues(name, r.label());
        }
        return new ListenerMetrics(name,
                connections.labelValues(name),
                rejected,
                messagesReceived.labelValues(name),
                recipientsReceived.labelValues(name),
                messageBytesReceived.labelValues(name),
                refusals,
                submissionSeconds.labelValues(name));
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private BucketHistogram histogram(String name, String help, double[] buckets, Unit unit, String... labels) {
        BucketHistogram histogram = new BucketHistogram(name, help, unit, buckets, labels);
        registry.register(histogram);
        return histogram;
    }

    private SuppliedGauge suppliedGauge(String name, String help, Counter failures) {
        SuppliedGauge gauge = new SuppliedGauge(failures.labelValues(name));
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> gauge.report(cb::call)).register(registry);
        return gauge;
    }

    /** The late-bound value source of one unlabelled callback gauge or counter: absent until the daemon binds it. */
    private static final class SuppliedGauge {
        private final CounterDataPoint failures;
        private volatile LongSupplier supplier;

        SuppliedGauge(CounterDataPoint failures) {
            this.failures = failures;
        }

        void bind(LongSupplier s) {
            supplier = Objects.requireNonNull(s, "supplier");
        }

        void report(LongConsumer callback) {
            LongSupplier s = supplier;
            if (s == null) {
                return;
            }
            long value;
            try {
                value = s.getAsLong();
            } catch (RuntimeException e) {
                failures.inc();
                return;
            }
            callback.accept(value);
        }
    }
}
