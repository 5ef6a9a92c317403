package io.sluice.journal;

import io.sluice.model.RouteInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of one {@link PendingMessage} as the journal writer saw it at one moment, for the admin API's
 * {@code inspect}: safe to read on any thread, unlike the pending set, which only the writer thread may touch
 * ({@link JournalWriter#inspect}). Immutable.
 *
 * @param id               message id
 * @param bodiesIndex      where its ACCEPTED record is now (after any relocation)
 * @param receivedAtMillis when it was accepted (epoch millis)
 * @param recipients       every recipient in RCPT order, pending or not
 * @param routeInputs      what its route is chosen by, as journalled
 */
public record PendingView(long id, long bodiesIndex, long receivedAtMillis, List<Recipient> recipients,
                          RouteInputs routeInputs) {

    public PendingView {
        recipients = List.copyOf(recipients);
    }

    /**
     * One recipient's state in the pending set.
     *
     * @param address       the RCPT address
     * @param pending       false once a final outcome (delivered, bounced, expired, suppressed) is recorded; the
     *                      pending set does not keep which one
     * @param attempts      failed attempts so far (0: never deferred)
     * @param nextDueMillis when a deferred recipient is due again, 0 if never deferred
     */
    public record Recipient(String address, boolean pending, int attempts, long nextDueMillis) {
    }

    /** Copies {@code m}; pending set owner thread only. */
    static PendingView of(PendingMessage m) {
        List<Recipient> recipients = new ArrayList<>(m.recipientCount());
        for (int i = 0; i < m.recipientCount(); i++) {
            boolean pending = m.isPending(i);
            recipients.add(new Recipient(m.recipient(i), pending, pending ? m.attempts(i) : 0,
                    pending ? m.nextDueMillis(i) : 0));
        }
        return new PendingView(m.id(), m.bodiesIndex(), m.receivedAtMillis(), recipients, m.routeInputs());
    }
}
