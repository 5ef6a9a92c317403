package io.sluice.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Counters and latency histograms of the connections pinned to one event loop. Plain fields, no atomics: only
 * that loop's thread writes them, and {@link LoadRun} reads them after the loop group has terminated (which
 * orders the reads after every write).
 *
 * <p>Latencies are recorded in microseconds and clamped to the histogram's range (the run's timeout), so a
 * pathological value cannot throw on the event loop.
 */
final class LoopStats {

    /** Reply codes are three digits; index = code. */
    static final int CODES = 1000;

    /** Transactions started (MAIL written). */
    long sent;
    /** Messages whose final reply was 250. */
    long accepted;
    /** Failed messages by the first non-success reply of their transaction. */
    final long[] rejectsByCode = new long[CODES];
    /** RCPT rejections inside transactions that still had an accepted recipient. */
    long recipientRejects;
    /** Claimed messages that lost their connection before a final reply. */
    long lostToConnection;
    /** Claimed messages still in progress when the timeout stopped the run. */
    long abandoned;
    /** Connect failures, resets, protocol errors and unexpected closes. */
    long connectionErrors;
    /** The most recent connection error, for the report; null if none. */
    String lastError;
    /** Sessions that got through EHLO, and how many of them pipelined. */
    long sessions;
    long pipelinedSessions;
    /** Measured (non warm-up) messages finished either way, and the window they span. */
    long measuredDone;
    long firstMeasuredStartNanos = Long.MAX_VALUE;
    long lastCompletionNanos = Long.MIN_VALUE;
    /** Measured messages started, and the latest actual start among them. */
    long measuredStarted;
    long lastStartNanos = Long.MIN_VALUE;
    /** Open loop: the latest a message started after its intended time. */
    long maxStartLagNanos;
    /** Closed loop: final dot written to 250. Open loop: intended start to 250. */
    final Histogram latencyMicros;
    /** Final dot written to 250, in both modes. */
    final Histogram ackMicros;

    LoopStats(long highestMicros) {
        latencyMicros = new Histogram(1, highestMicros, 3);
        ackMicros = new Histogram(1, highestMicros, 3);
    }

    void recordLatency(Histogram histogram, long nanos) {
        long micros = Math.max(1, nanos / 1000);
        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
    }

    void markMeasuredStart(long intendedStartNanos, long actualStartNanos) {
        measuredStarted++;
        if (intendedStartNanos < firstMeasuredStartNanos) {
            firstMeasuredStartNanos = intendedStartNanos;
        }
        if (actualStartNanos > lastStartNanos) {
            lastStartNanos = actualStartNanos;
        }
    }

    void markCompletion(long nowNanos) {
        measuredDone++;
        if (nowNanos > lastCompletionNanos) {
            lastCompletionNanos = nowNanos;
        }
    }
}
