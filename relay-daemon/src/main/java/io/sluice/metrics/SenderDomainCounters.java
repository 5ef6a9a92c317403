package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counter labelled by envelope-sender domain with a bounded label set: the first {@code max} domains seen get a
 * series of their own, later ones share {@code other}; "" or null is {@code none}. Thread-safe; a domain already seen
 * costs one map lookup and an atomic add.
 */
final class SenderDomainCounters {
    private final Counter counter;
    private final int max;
    private final ConcurrentHashMap<String, CounterDataPoint> byDomain = new ConcurrentHashMap<>();
    private final CounterDataPoint other;

    /** {@code counter} has the one label {@code sender_domain}. */
    SenderDomainCounters(Counter counter, int max) {
        this.counter = counter;
        this.max = max;
        this.other = counter.labelValues("other");
    }

    void inc(String senderDomain) {
        String d = senderDomain == null || senderDomain.isEmpty() ? "none" : senderDomain;
        CounterDataPoint point = byDomain.get(d);
        if (point == null) {
            synchronized (byDomain) {
                point = byDomain.computeIfAbsent(d, x -> byDomain.size() < max ? counter.labelValues(x) : other);
            }
        }
        point.inc();
    }
}
