package io.sluice.journal;

import io.sluice.model.RouteInputs;
import java.util.List;

/**
 * Hears about every message once its ACCEPTED and QUEUED records are durable (after the group commit's sync, right
 * before its {@link AppendCallback#appended}): the feed for the delivery scheduler. Called on the journal writer
 * thread, in append order, once per message; never for a message that failed.
 *
 * <p>Must not block and must return quickly (the next group commit waits for it): hand off to your own queue.
 * A listener whose queue can be full keeps what it could not hand off, in order, and hands it off in
 * {@link #retryWaiting}, which the writer calls on every cycle (at least every {@code maxParkNanos} while idle).
 * Exceptions are logged and otherwise ignored (the message stays acknowledged and pending in the journal).
 */
@FunctionalInterface
public interface QueuedListener {
    /** Listener that ignores everything. */
    QueuedListener NONE = (id, bodiesIndex, receivedAtMillis, recipients) -> { };

    /**
     * @param bodiesIndex      Chronicle index of the ACCEPTED record in {@code bodies/}
     * @param recipients       the message's recipients in RCPT order (recipient i of OUTCOME and DEFERRED
     *                         records is element i); the list the session offered, not copied: do not modify it
     */
    void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients);

    /**
     * As above, with what the message's route is chosen by; the writer calls this one. By default drops the route
     * inputs and calls {@link #queued(long, long, long, List)}.
     */
    default void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients,
                        RouteInputs routeInputs) {
        queued(id, bodiesIndex, receivedAtMillis, recipients);
    }

    /**
     * Hands off, in order, what an earlier {@link #queued} call could not; returns how many went. Called on the
     * writer thread once per cycle, also after the writer failed (what was durable before still goes).
     */
    default int retryWaiting() {
        return 0;
    }
}
