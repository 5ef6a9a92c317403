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
 * stops reading meanwhile. Hard: at the limit, or when free journal disk is below {@code journal.min_free}, MAIL and
 * RCPT get {@code 452 4.3.1}.
 *
 * <p>Inputs are suppliers read on the event loop: the pending count (the journal's) and free disk (cached by the
 * journal writer), so a check costs two volatile reads. Thread-safe.
 */
final class BackPressure {
    /** Why a MAIL or RCPT must be refused now, if at all. */
    enum Verdict { ACCEPT, PENDING_LIMIT, DISK_LOW }

    private final LongSupplier pendingRecipients;
    private final LongSupplier freeBytes;

    BackPressure(LongSupplier pendingRecipients, LongSupplier freeBytes) {
        this.pendingRecipients = pendingRecipients;
        this.freeBytes = freeBytes;
    }

    /** The hard check for {@code extra} more recipients. */
    Verdict check(QueueSettings queue, JournalSettings journal, int extra) {
        if (freeBytes.getAsLong() < journal.minFreeBytes()) {
            return Verdict.DISK_LOW;
        }
        if (pendingRecipients.getAsLong() + extra > queue.maxPendingRecipients()) {
            return Verdict.PENDING_LIMIT;
        }
        return Verdict.ACCEPT;
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
