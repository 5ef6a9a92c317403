package io.sluice.scheduler;

import java.util.List;

/**
 * The delivery stage's report on one {@link DeliveryTask}: a site-level signal for {@link SiteHealth} and one
 * {@link RecipientResult} per task recipient (same order as the task).
 *
 * @param taskId     the task's id
 * @param site       CONNECTED if some MX host let us in (the site is alive), CONNECT_FAILED if none did
 * @param recipients one result per task recipient; for CONNECT_FAILED usually all TEMPORARY with code 0
 */
public record TaskResult(long taskId, SiteSignal site, List<RecipientResult> recipients) {

    /** Whether the site let us in. */
    public enum SiteSignal { CONNECTED, CONNECT_FAILED }

    public TaskResult {
        recipients = List.copyOf(recipients);
    }

    /** No MX host of the task's site accepted a connection: every recipient is retried later. */
    public static TaskResult connectFailed(DeliveryTask task, String reason) {
        RecipientResult r = RecipientResult.temporary(0, reason);
        return new TaskResult(task.taskId(), SiteSignal.CONNECT_FAILED,
                java.util.Collections.nCopies(task.recipientCount(), r));
    }
}
