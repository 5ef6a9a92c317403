package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The feedback loop's metrics (docs/metrics.md, docs/BOUNCES.md): failures by bounce reason and mailbox provider
 * ({@value #FAILURES_BY_REASON}), hard bounces by envelope-sender domain ({@value #HARD_BOUNCES_BY_SENDER_DOMAIN}),
 * the suppression list's size ({@value #SUPPRESSION_ENTRIES}) and the recipients it held back
 * ({@value #SUPPRESSED_RECIPIENTS}).
 *
 * <p>Labels are bounded: {@code outcome} is one of four, {@code reason} one of the taxonomy's (about 35),
 * {@code provider} one of the shaping rules' providers, {@code default} or {@code none}, at most
 * {@value #MAX_PROVIDERS} values and then {@code other}. Thread-safe; a failure already labelled costs two map
 * lookups and an atomic add, nothing allocated.
 */
public final class BounceMetrics {
    public static final String FAILURES_BY_REASON = "sluice_failures_by_reason_total";
    public static final String SUPPRESSION_ENTRIES = "sluice_suppression_entries";
    public static final String SUPPRESSED_RECIPIENTS = "sluice_suppressed_recipients_total";
    public static final String HARD_BOUNCES_BY_SENDER_DOMAIN = "sluice_hard_bounces_by_sender_domain_total";
    static final int MAX_PROVIDERS = 64;
    /** Sender domains with a label of their own; later ones share {@code other}. */
    static final int MAX_SENDER_DOMAINS = 50;

    private final Counter failures;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, CounterDataPoint>> series =
            new ConcurrentHashMap<>();
    private final SenderDomainCounters hardBounces;
    private volatile LongSupplier entries = () -> 0;
    private volatile LongSupplier suppressed = () -> 0;

    BounceMetrics(PrometheusRegistry registry) {
        failures = Counter.builder().name(FAILURES_BY_REASON)
                .help("Recipients that failed (deferred, bounced, expired) or were suppressed, by the bounce reason "
                        + "of docs/BOUNCES.md and the mailbox provider of the shaping rules (none: shaping off, a "
                        + "smarthost, or no site)").labelNames("outcome", "reason", "provider")
                .withoutExemplars().register(registry);
        for (String outcome : new String[] {"deferred", "bounced", "expired", "suppressed"}) {
            failures.labelValues(outcome, "undefined", "none"); // every outcome is in the scrape from the start
        }
        hardBounces = new SenderDomainCounters(Counter.builder().name(HARD_BOUNCES_BY_SENDER_DOMAIN)
                .help("Hard bounces (the address itself is bad; it goes on the suppression list), by the envelope "
                        + "sender's domain (the first " + MAX_SENDER_DOMAINS + " domains seen, then other; none for <>)")
                .labelNames("sender_domain").withoutExemplars().register(registry), MAX_SENDER_DOMAINS);
        GaugeWithCallback.builder().name(SUPPRESSION_ENTRIES)
                .help("Entries on the suppression list (expired ones until a compaction drops them)")
                .callback(cb -> cb.call(entries.getAsLong())).register(registry);
        CounterWithCallback.builder().name(SUPPRESSED_RECIPIENTS)
                .help("Recipients the suppression list held back: recorded suppressed, never attempted")
                .callback(cb -> cb.call(suppressed.getAsLong())).register(registry);
    }

    /** One recipient's failure or suppression; any argument null reads as {@code none}/{@code undefined}. */
    public void failure(String outcome, String reason, String provider) {
        String p = provider == null ? "none" : provider;
        String key = (outcome == null ? "none" : outcome) + '\u0000' + (reason == null ? "undefined" : reason);
        ConcurrentHashMap<String, CounterDataPoint> byProvider = series.get(key);
        CounterDataPoint point = byProvider == null ? null : byProvider.get(p);
        if (point == null) {
            point = bind(key, outcome, reason, p);
        }
        point.inc();
    }

    private CounterDataPoint bind(String key, String outcome, String reason, String provider) {
        synchronized (series) {
            ConcurrentHashMap<String, CounterDataPoint> byProvider = series.computeIfAbsent(key,
                    k -> new ConcurrentHashMap<>());
            String p = byProvider.containsKey(provider) || byProvider.size() < MAX_PROVIDERS ? provider : "other";
            return byProvider.computeIfAbsent(p, x -> failures.labelValues(outcome == null ? "none" : outcome,
                    reason == null ? "undefined" : reason, x));
        }
    }

    /** One hard bounce of mail from {@code senderDomain} ("" or null for the null sender {@code <>}). */
    public void hardBounce(String senderDomain) {
        hardBounces.inc(senderDomain);
    }

    /** Feeds {@value #SUPPRESSION_ENTRIES}; called at each scrape. */
    public void bindSuppressionEntries(LongSupplier supplier) {
        entries = supplier;
    }

    /** Feeds {@value #SUPPRESSED_RECIPIENTS}, a count that only grows; called at each scrape. */
    public void bindSuppressedRecipients(LongSupplier supplier) {
        suppressed = supplier;
    }
}
