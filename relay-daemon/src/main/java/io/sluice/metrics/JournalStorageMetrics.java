package io.sluice.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Objects;

/**
 * The journal's storage series (docs/architecture.md "Journal"): bytes on disk per queue
 * and what compaction has done, read from a bound {@link JournalStorage} at each scrape (listing a directory per
 * queue: scrape-time cost only, nothing on the mail path).
 *
 * <ul>
 *   <li>{@value #DISK_BYTES}{@code {queue}}: bytes of the cycle files of bodies, state and events;</li>
 *   <li>{@value #RELOCATED_MESSAGES}, {@value #RELOCATED_BYTES}: pending messages (and their bytes) copied out of
 *       old bodies/ cycles;</li>
 *   <li>{@value #CYCLES_DELETED}{@code {queue}}: cycle files deleted from bodies and state;</li>
 *   <li>{@value #RELOCATION_FAILURES}: pending messages that could not be copied.</li>
 * </ul>
 *
 * <p>Unbound, the families are empty. A source that throws leaves its family out of that scrape (and the next
 * scrape tries again), so a journal closing during a scrape never breaks /metrics.
 */
public final class JournalStorageMetrics {
    public static final String DISK_BYTES = "sluice_journal_disk_bytes";
    public static final String RELOCATED_MESSAGES = "sluice_journal_compaction_relocated_messages_total";
    public static final String RELOCATED_BYTES = "sluice_journal_compaction_relocated_bytes_total";
    public static final String CYCLES_DELETED = "sluice_journal_cycles_deleted_total";
    public static final String RELOCATION_FAILURES = "sluice_journal_compaction_failures_total";
    public static final String LABEL_QUEUE = "queue";

    private static final List<String> DISK_QUEUES = List.of("bodies", "state", "events");
    private static final List<String> COMPACTED_QUEUES = List.of("bodies", "state");

    private volatile JournalStorage storage;

    JournalStorageMetrics(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name(DISK_BYTES).help("Bytes of the journal's cycle files, by queue")
                .unit(Unit.BYTES).labelNames(LABEL_QUEUE)
                .callback(cb -> perQueue(DISK_QUEUES, (s, q) -> s.diskBytes(q), cb::call)).register(registry);
        CounterWithCallback.builder().name(RELOCATED_MESSAGES)
                .help("Pending messages compaction copied out of old bodies/ cycles")
                .callback(cb -> single(JournalStorage::messagesRelocated, cb::call)).register(registry);
        CounterWithCallback.builder().name(RELOCATED_BYTES).help("Bytes of the messages compaction copied")
                .callback(cb -> single(JournalStorage::bytesRelocated, cb::call)).register(registry);
        CounterWithCallback.builder().name(CYCLES_DELETED)
                .help("Journal cycle files deleted by compaction (bodies) and retention (state), by queue")
                .labelNames(LABEL_QUEUE)
                .callback(cb -> perQueue(COMPACTED_QUEUES, (s, q) -> s.cyclesDeleted(q), cb::call))
                .register(registry);
        CounterWithCallback.builder().name(RELOCATION_FAILURES)
                .help("Pending messages compaction could not copy (their cycle file stays)")
                .callback(cb -> single(JournalStorage::relocationFailures, cb::call)).register(registry);
    }

    /** Sets the source read at each scrape. Replaces any earlier one. */
    public void bind(JournalStorage source) {
        storage = Objects.requireNonNull(source, "source");
    }

    private interface PerQueue {
        long read(JournalStorage storage, String queue);
    }

    private interface Sink {
        void call(double value, String... labels);
    }

    private void perQueue(List<String> queues, PerQueue read, Sink sink) {
        JournalStorage s = storage;
        if (s == null) {
            return;
        }
        double[] values = new double[queues.size()];
        try {
            for (int i = 0; i < values.length; i++) {
                values[i] = read.read(s, queues.get(i));
            }
        } catch (RuntimeException e) {
            return; // all queues or none, so a scrape never shows a partial family
        }
        for (int i = 0; i < values.length; i++) {
            sink.call(values[i], queues.get(i));
        }
    }

    private void single(java.util.function.ToLongFunction<JournalStorage> read, Sink sink) {
        JournalStorage s = storage;
        if (s == null) {
            return;
        }
        long value;
        try {
            value = read.applyAsLong(s);
        } catch (RuntimeException e) {
            return;
        }
        sink.call(value);
    }
}
