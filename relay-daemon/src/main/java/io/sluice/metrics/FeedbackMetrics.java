package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;

/**
 * The feedback intake's metrics (docs/metrics.md, docs/BOUNCES.md): every message a feedback listener took, by what
 * became of it ({@value #MESSAGES}), and the complaints matched to sent mail by the envelope-sender domain
 * ({@value #COMPLAINTS}; the first {@value #MAX_SENDER_DOMAINS} domains, then {@code other}): the numerator of the
 * complaint rate mailbox providers judge a sender by. Labels are bounded; every result is in the scrape from the
 * start. Thread-safe.
 */
public final class FeedbackMetrics {
    public static final String MESSAGES = "sluice_feedback_messages_total";
    public static final String COMPLAINTS = "sluice_complaints_total";
    public static final String UNSUBSCRIBES = "sluice_unsubscribes_total";
    public static final String WEB_REQUESTS = "sluice_web_requests_total";
    static final int MAX_SENDER_DOMAINS = 50;

    /** What became of one message at the feedback listener. */
    public enum Result {
        /** A bounce matched to sent mail: {@code async_bounce} events (and suppression when hard). */
        BOUNCE,
        /** A complaint matched to sent mail: a {@code complaint} event and suppression. */
        COMPLAINT,
        /** A mail to a one-click unsubscribe address ({@code u+<token>}) that unsubscribed its recipient. */
        UNSUBSCRIBE,
        /** A bounce or complaint that matched nothing Sluice sent within {@code feedback.index_days}. */
        UNMATCHED,
        /** A VERP token that does not verify with the feedback key: dropped. */
        FORGED,
        /** Nothing to act on: an auto-reply, a delay notice, a report of successful delivery, not a report. */
        IGNORED,
        /** The message could not be read as MIME at all. */
        UNPARSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** What the web listener answered a request. */
    public enum WebResult {
        /** The confirmation page (GET with a valid token; changes nothing). */
        PAGE,
        /** A POST that unsubscribed. */
        UNSUBSCRIBED,
        /** A POST with a token already used: refused. */
        REPLAYED,
        /** A token that does not verify: refused. */
        FORGED,
        /** Over the per-IP request limit: 429. */
        RATE_LIMITED,
        /** Anything else refused: unknown path, method, a malformed POST, busy. */
        REFUSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final EnumMap<Result, CounterDataPoint> results = new EnumMap<>(Result.class);
    private final EnumMap<WebResult, CounterDataPoint> web = new EnumMap<>(WebResult.class);
    private final CounterDataPoint oneClick;
    private final CounterDataPoint mailto;
    private final SenderDomainCounters complaints;

    FeedbackMetrics(PrometheusRegistry registry) {
        Counter messages = Counter.builder().name(MESSAGES)
                .help("Messages taken by a feedback listener, by what became of them: bounce, complaint (matched to"
                        + " sent mail), unsubscribe (a mail to an unsubscribe address), unmatched, forged (a token"
                        + " that does not verify), ignored, unparsed")
                .labelNames("result").withoutExemplars().register(registry);
        for (Result r : Result.values()) {
            results.put(r, messages.labelValues(r.label));
        }
        complaints = new SenderDomainCounters(Counter.builder().name(COMPLAINTS)
                .help("Complaints (ARF reports) matched to sent mail, by the envelope sender's domain (the first "
                        + MAX_SENDER_DOMAINS + " domains seen, then other)")
                .labelNames("sender_domain").withoutExemplars().register(registry), MAX_SENDER_DOMAINS);
        Counter unsubscribes = Counter.builder().name(UNSUBSCRIBES)
                .help("Recipients who unsubscribed, by channel: one-click (a POST to the web listener) or mailto (a"
                        + " mail to the unsubscribe address)").labelNames("channel").withoutExemplars()
                .register(registry);
        oneClick = unsubscribes.labelValues("one-click");
        mailto = unsubscribes.labelValues("mailto");
        Counter requests = Counter.builder().name(WEB_REQUESTS)
                .help("Requests to the web (unsubscribe) listener, by answer: page, unsubscribed, replayed, forged,"
                        + " rate_limited, refused").labelNames("result").withoutExemplars().register(registry);
        for (WebResult r : WebResult.values()) {
            web.put(r, requests.labelValues(r.label));
        }
    }

    /** One unsubscribe through {@code channel} ({@code one-click} or {@code mailto}). */
    public void unsubscribe(String channel) {
        ("mailto".equals(channel) ? mailto : oneClick).inc();
    }

    public void webRequest(WebResult result) {
        web.get(result).inc();
    }

    public void message(Result result) {
        results.get(result).inc();
    }

    /** One complaint about mail from {@code senderDomain} ("" when not known: {@code none}). */
    public void complaint(String senderDomain) {
        complaints.inc(senderDomain);
    }
}
