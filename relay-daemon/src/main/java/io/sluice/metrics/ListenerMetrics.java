package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;

import java.util.concurrent.atomic.LongAdder;

/**
 * The per-listener metric handles one SMTP listener records into, with every label already bound.
 *
 * <p>Role: the hot-path face of {@link SluiceMetrics} for ingress. Each data point is resolved once (by
 * {@link SluiceMetrics#forListener}) so that recording a connection, a message or a refusal is a few atomic adds:
 * no label lookup, no allocation. Every series of the listener exists (at zero) from the moment the handle is
 * created, so rates and alerts work before the first event.
 *
 * <p>Threading: all methods are thread-safe and lock-free; any event loop may call them. Instances are shared
 * between all sessions of a listener.
 */
public final class ListenerMetrics {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final String listener;
    /** Read by the {@code sluice_connections_current} callback; the library's Gauge allocates per inc/dec. */
    private final LongAdder connectionsCurrent = new LongAdder();
    private final CounterDataPoint connectionsTotal;
    /** Indexed by {@link ConnectionRejectReason#ordinal()}. */
    private final CounterDataPoint[] connectionsRejected;
    private final CounterDataPoint messagesReceived;
    private final CounterDataPoint recipientsReceived;
    private final CounterDataPoint messageBytesReceived;
    /** Indexed by {@link RejectReason#ordinal()}. */
    private final CounterDataPoint[] smtpRejections;
    private final BucketHistogram.Recorder submissionSeconds;

    ListenerMetrics(
            String listener,
            CounterDataPoint connectionsTotal,
            CounterDataPoint[] connectionsRejected,
            CounterDataPoint messagesReceived,
            CounterDataPoint recipientsReceived,
            CounterDataPoint messageBytesReceived,
            CounterDataPoint[] smtpRejections,
            BucketHistogram.Recorder submissionSeconds) {
        this.listener = listener;
        this.connectionsTotal = connectionsTotal;
        this.connectionsRejected = connectionsRejected;
        this.messagesReceived = messagesReceived;
        this.recipientsReceived = recipientsReceived;
        this.messageBytesReceived = messageBytesReceived;
        this.smtpRejections = smtpRejections;
        this.submissionSeconds = submissionSeconds;
    }

    /** The listener name these handles are bound to. */
    public String listener() {
        return listener;
    }

    /** A session was accepted: counts it and raises the current-connections gauge. */
    public void connectionOpened() {
        connectionsTotal.inc();
        connectionsCurrent.increment();
    }

    /** An accepted session ended (call exactly once per {@link #connectionOpened()}). */
    public void connectionClosed() {
        connectionsCurrent.decrement();
    }

    /** Sessions open now (opened minus closed); read at scrape. */
    long connectionsCurrent() {
        return connectionsCurrent.sum();
    }

    /** A connection was refused before the SMTP greeting; it is not counted as opened. */
    public void connectionRejected(ConnectionRejectReason reason) {
        connectionsRejected[reason.ordinal()].inc();
    }

    /** A message was acknowledged (250 after DATA) with this many recipients and this many bytes. */
    public void messageReceived(int recipients, long bytes) {
        messagesReceived.inc();
        recipientsReceived.inc(recipients);
        messageBytesReceived.inc(bytes);
    }

    /** The server refused a command or a message for this reason. */
    public void smtpRejected(RejectReason reason) {
        smtpRejections[reason.ordinal()].inc();
    }

    /** Time from the end of DATA to the 250 going out, in nanoseconds (e.g. from {@link System#nanoTime()}). */
    public void submissionNanos(long nanos) {
        submissionSeconds.observe(nanos / NANOS_PER_SECOND);
    }
}
