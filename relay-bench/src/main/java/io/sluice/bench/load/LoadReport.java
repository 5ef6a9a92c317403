package io.sluice.bench.load;

import java.util.SortedMap;

/**
 * The result of one load run. Every claimed message ends in exactly one of accepted, rejected (by code),
 * lostToConnection or abandoned; the rest of {@code totalMessages} are unsent. Immutable.
 *
 * @param settings            what was asked for
 * @param target              the resolved loopback address and port, e.g. {@code 127.0.0.1:2525}
 * @param transport           "epoll" or "nio"
 * @param messageSizeBytes    stored size of each message (see {@link MessageTemplate#sizeBytes()})
 * @param totalMessages       warm-up plus measured messages
 * @param sent                transactions started (MAIL written)
 * @param accepted            messages whose final reply was 250
 * @param rejectsByCode       failed messages by the first non-success reply of their transaction
 * @param recipientRejects    RCPT rejections inside otherwise accepted messages
 * @param lostToConnection    messages whose connection failed before their final reply
 * @param abandoned           messages still in progress when the timeout struck
 * @param unsent              messages never started (timeout, or every connection gave up)
 * @param connectionErrors    failed connects, resets, protocol errors and unexpected closes
 * @param lastConnectionError description of the latest connection error, or null
 * @param sessions            connections that got through EHLO
 * @param pipelinedSessions   of those, how many pipelined
 * @param timedOut            the hard timeout stopped the run
 * @param elapsedSeconds      from the first measured message's (intended) start to the last completion
 * @param acceptedPerSecond   measured accepted messages / elapsed
 * @param completedPerSecond  measured finished messages (any outcome) / elapsed
 * @param startedPerSecond    open loop: rate at which measured messages actually started (compare with the target);
 *                            0 for closed loop
 * @param latency             closed loop: final dot written to 250; open loop: intended start to 250
 * @param ackLatency          final dot written to 250, in both modes
 * @param rateSustained       open loop: messages started at >= 95% of the target rate, nothing unsent, no
 *                            timeout;
 *                            null for closed loop
 * @param maxStartLagMs       open loop: the latest a message started after its intended time
 */
public record LoadReport(
        LoadSettings settings,
        String target,
        String transport,
        int messageSizeBytes,
        long totalMessages,
        long sent,
        long accepted,
        SortedMap<Integer, Long> rejectsByCode,
        long recipientRejects,
        long lostToConnection,
        long abandoned,
        long unsent,
        long connectionErrors,
        String lastConnectionError,
        long sessions,
        long pipelinedSessions,
        boolean timedOut,
        double elapsedSeconds,
        double acceptedPerSecond,
        double completedPerSecond,
        double startedPerSecond,
        LatencySummary latency,
        LatencySummary ackLatency,
        Boolean rateSustained,
        double maxStartLagMs) {

    /** Open-loop runs count as sustained at this fraction of the target rate. */
    public static final double SUSTAINED_FRACTION = 0.95;

    /** @return messages with a non-250 outcome reply */
    public long rejected() {
        long sum = 0;
        for (long n : rejectsByCode.values()) {
            sum += n;
        }
        return sum;
    }

    /**
     * @param allowRejects tolerate non-250 replies (connection losses, unsent messages and timeouts still fail)
     * @return true when every message got what the caller requires
     */
    public boolean success(boolean allowRejects) {
        boolean delivered = lostToConnection == 0 && abandoned == 0 && unsent == 0 && !timedOut;
        return delivered && (allowRejects || (rejected() == 0 && accepted == totalMessages));
    }
}
