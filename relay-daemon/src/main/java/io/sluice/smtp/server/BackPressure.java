package io.sluice.smtp.server;

import io.sluice.config.JournalSettings;
import io.sluice.config.QueueSettings;
import io.sluice.config.SmtpSettings;
import java.util.function.LongSupplier;

/**
 * Ingress back-pressure (docs/architecture.md "Back-pressure and fairness"): first soft, then hard, and only at
 * MAIL/RCPT, never after DATA.
 *
 * <p>Soft: once pending recipients pass half of {@code queue.max_pending_recipients}, the MAIL reply is delayed,
 * growing linearly to {@code smtp.max_soft_delay} at the limit (like Postfix's {@code in_flow_delay}); the session
 * stops reading meanwhile. Hard: at the limit, or when the journal's disk would fall below {@code journal.min_free},
 * MAIL and RCPT get {@code 452 4.3.1}.
 *
 * <p>The disk gate is checked before the append that would cross it, not after: free space minus the message text
 * already in memory on its way to the journal ({@code smtp.max_inflight_data_bytes} worth at most) minus the size
 * this transaction declared with {@code SIZE=} must stay at or above {@code min_free}; at the final dot
 * ({@link #roomForMessage}) free space minus the text in flight, this message included, must. Checking free space
 * alone let every message in flight land past the line (the first 452 came at 14 MB free with 20 MiB set).
 *
 * <p>Inputs are suppliers read on the event loop: the pending count (the journal's), free disk (refreshed every
 * 100 ms by the journal's own thread) and the in-flight text ({@link InflightBudget}), so a check costs three
 * volatile reads. Thread-safe.
 */
final class BackPressure {
    /** Why a MAIL or RCPT must be refused now, if at all. */
    enum Verdict { ACCEPT, PENDING_LIMIT, DISK_LOW }

    private final LongSupplier pendingRecipients;
    private final LongSupplier freeBytes;
    private final LongSupplier inflightBytes;

    BackPressure(LongSupplier pendingRecipients, LongSupplier freeBytes, LongSupplier inflightBytes) {
        this.pendingRecipients = pendingRecipients;
        this.freeBytes = freeBytes;
        this.inflightBytes = inflightBytes;
    }

    /**
     * The hard check for {@code extra} more recipients of a message announced as {@code declaredBytes} long (0 when
     * the client gave no {@code SIZE=}).
     */
    Verdict check(QueueSettings queue, JournalSettings journal, int extra, long declaredBytes) {
        if (freeBytes.getAsLong() - inflightBytes.getAsLong() - declaredBytes < journal.minFreeBytes()) {
            return Verdict.DISK_LOW;
        }
        if (pendingRecipients.getAsLong() + extra > queue.maxPendingRecipients()) {
            return Verdict.PENDING_LIMIT;
        }
        return Verdict.ACCEPT;
    }

    /**
     * At the final dot: whether the journal can take the text in flight, this message's included, and stay at or
     * above {@code journal.min_free}. A message that would cross it gets {@code 452 4.3.1} now (not acknowledged,
     * so the client keeps it and retries) instead of eating into the reserve that outcomes and DSNs need.
     */
    boolean roomForMessage(JournalSettings journal) {
        return freeBytes.getAsLong() - inflightBytes.getAsLong() >= journal.minFreeBytes();
    }

    /** The soft delay to apply before answering MAIL, in milliseconds (0 = none). */
    long softDelayMillis(QueueSettings queue, SmtpSettings smtp) {
        long max = queue.maxPendingRecipients();
        long pending = pendingRecipients.getAsLong();
        long half = max / 2;
        if (pending <= half) {
            return 0;
        }
        double fraction = Math.min(1.0, (double) (pending - half) / (double) Math.max(1, max - half));
        return (long) (fraction * smtp.maxSoftDelay().toMillis());
    }
}
