package io.sluice.scheduler;

import io.sluice.events.TlsSession;
import java.util.List;

/**
 * The delivery stage's report on one {@link DeliveryTask}: a site-level signal for {@link SiteHealth}, one
 * {@link RecipientResult} per task recipient (same order as the task), and where the attempt went (for the
 * delivery events; the scheduler itself does not use it).
 *
 * @param taskId     the task's id
 * @param site       CONNECTED if some MX host let us in (the site is alive), CONNECT_FAILED if none did,
 *                   CONNECT_TIMED_OUT if none did and some attempt timed out (connect or greeting: a tarpit or a
 *                   black hole, which held a slot for the whole timeout), NOT_ATTEMPTED if the delivery stage never
 *                   tried (see {@link #notAttempted})
 * @param recipients one result per task recipient; for CONNECT_FAILED usually all TEMPORARY with code 0
 * @param mxHost     the MX host whose session carried the transaction; null when no session was used
 * @param source     the source address used ({@code delivery.bind_address}, or {@code default}); null when unknown
 * @param tls        how the session was protected ({@link TlsSession#NONE}: clear text); null when no session
 * @param fired      the path's reply rule that one of the replies matched (docs/shaping.md "Automation"), matched
 *                   by the delivery stage, off the scheduler thread; null when none did
 */
public record TaskResult(long taskId, SiteSignal site, List<RecipientResult> recipients, String mxHost,
                         String source, TlsSession tls, Fired fired) {

    /** A reply rule a reply matched, and that reply ("code enhanced-code text"). */
    public record Fired(io.sluice.config.ShapingSettings.AutomationRule rule, String reply) {
    }

    /** Whether the site let us in, or whether it was asked at all. */
    public enum SiteSignal { CONNECTED, CONNECT_FAILED, CONNECT_TIMED_OUT, NOT_ATTEMPTED }

    public TaskResult {
        recipients = List.copyOf(recipients);
    }

    /** A result of a session protected as {@code tls} (null: no session) that matched no reply rule. */
    public TaskResult(long taskId, SiteSignal site, List<RecipientResult> recipients, String mxHost, String source,
                      TlsSession tls) {
        this(taskId, site, recipients, mxHost, source, tls, null);
    }

    /** This result with {@code nextRecipients} in place of its own and the rule a reply matched. */
    public TaskResult fired(List<RecipientResult> nextRecipients, Fired rule) {
        return new TaskResult(taskId, site, nextRecipients, mxHost, source, tls, rule);
    }

    /** A result through a session at {@code mxHost} whose protection is not reported. */
    public TaskResult(long taskId, SiteSignal site, List<RecipientResult> recipients, String mxHost, String source) {
        this(taskId, site, recipients, mxHost, source, null);
    }

    /** A result that did not go through a session (no MX host or source to report). */
    public TaskResult(long taskId, SiteSignal site, List<RecipientResult> recipients) {
        this(taskId, site, recipients, null, null);
    }

    /**
     * Whether every recipient (there is at least one) was deferred: each by the next hop's own 4xx reply
     * ({@code byNextHop}: "busy, try later"), or each by Sluice's own text with no reply about it (not
     * {@code byNextHop}: the session broke). Allocation-free.
     */
    public boolean allDeferred(boolean byNextHop) {
        if (recipients.isEmpty()) {
            return false;
        }
        for (int i = 0; i < recipients.size(); i++) {
            RecipientResult rr = recipients.get(i);
            boolean fits = rr.kind() == RecipientResult.Kind.TEMPORARY
                    && (byNextHop ? !rr.local() && rr.code() >= 400 : rr.local());
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    /** No MX host of the task's site accepted a connection: every recipient is retried later. */
    public static TaskResult connectFailed(DeliveryTask task, String reason) {
        return connectFailed(task, reason, false);
    }

    /**
     * No MX host of the task's site accepted a connection, and when {@code timedOut} at least one attempt timed out
     * ({@link SiteSignal#CONNECT_TIMED_OUT}): every recipient is retried later.
     */
    public static TaskResult connectFailed(DeliveryTask task, String reason, boolean timedOut) {
        RecipientResult r = RecipientResult.temporary(0, reason);
        return new TaskResult(task.taskId(), timedOut ? SiteSignal.CONNECT_TIMED_OUT : SiteSignal.CONNECT_FAILED,
                java.util.Collections.nCopies(task.recipientCount(), r));
    }

    /**
     * The delivery stage hands the task back untried (stopping, or no connection slot it could wait for): the
     * scheduler puts its recipients back at the head of their site's ready queue, with no DEFERRED record, no
     * attempt counted and no effect on the site's health. No recipient results.
     */
    public static TaskResult notAttempted(DeliveryTask task) {
        return new TaskResult(task.taskId(), SiteSignal.NOT_ATTEMPTED, List.of());
    }
}
