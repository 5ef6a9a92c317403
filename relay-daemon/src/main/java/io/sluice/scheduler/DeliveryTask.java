package io.sluice.scheduler;

import io.sluice.dns.MxHost;
import io.sluice.dns.SiteKey;
import java.util.List;

/**
 * One delivery attempt the scheduler hands to the {@link Dispatcher}: one message, its recipients at one domain
 * (at most {@code delivery.max_recipients_per_transaction}), and where that domain's mail goes.
 *
 * <p>The scheduler does not know the sender or the body: the delivery stage reads both from the ACCEPTED record at
 * {@link #bodiesIndex()}. Recipient {@code i} of this task is recipient {@link #recipientIndex(int)} of the message
 * (the index OUTCOME and DEFERRED records use). Immutable once built; safe to pass to any thread.
 *
 * @param taskId           scheduler-assigned id; echo it in the {@link TaskResult}
 * @param messageId        journal message id
 * @param bodiesIndex      Chronicle index of the message's ACCEPTED record in {@code bodies/}
 * @param receivedAtMillis when the message was accepted
 * @param domain           destination domain, lower case
 * @param site             the site (MX host set) of the domain
 * @param hosts            MX hosts in trying order, from DNS
 * @param recipients       recipient addresses, in task order
 * @param probe            true when the site is dead and this task is its single probe
 */
public record DeliveryTask(long taskId, long messageId, long bodiesIndex, long receivedAtMillis, String domain,
                           SiteKey site, List<MxHost> hosts, List<String> recipients, int[] recipientIndexes,
                           int[] attempts, boolean probe) {

    /** Defensive copies: the scheduler reuses its own arrays. */
    public DeliveryTask {
        hosts = List.copyOf(hosts);
        recipients = List.copyOf(recipients);
        recipientIndexes = recipientIndexes.clone();
        attempts = attempts.clone();
        if (recipientIndexes.length != recipients.size() || attempts.length != recipients.size()) {
            throw new IllegalArgumentException("recipient arrays differ in length");
        }
    }

    public int recipientCount() {
        return recipients.size();
    }

    /** The message's index of task recipient {@code i}. */
    public int recipientIndex(int i) {
        return recipientIndexes[i];
    }

    /** Which attempt this is for task recipient {@code i} (1 = first try). */
    public int attempt(int i) {
        return attempts[i];
    }

    @Override
    public int[] recipientIndexes() {
        return recipientIndexes.clone();
    }

    @Override
    public int[] attempts() {
        return attempts.clone();
    }
}
