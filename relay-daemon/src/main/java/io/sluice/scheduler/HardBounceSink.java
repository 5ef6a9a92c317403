package io.sluice.scheduler;

import io.sluice.model.BounceReason;

/**
 * Takes the addresses of hard bounces (the classifier said the address itself is bad) for the suppression list, from
 * the scheduler thread: {@link #offer} never blocks; false means "full now", and the scheduler keeps the address in
 * an ordered backlog and offers it again on its next cycle, so none is dropped.
 */
@FunctionalInterface
public interface HardBounceSink {
    /** Takes nothing (no suppression list). */
    HardBounceSink NONE = (recipient, reason, senderDomain, timeMillis) -> true;

    /**
     * @param recipient    the address that bounced hard
     * @param reason       its bounce reason ({@code userunknown}, {@code hostunknown}, ...)
     * @param senderDomain the envelope sender's domain of the message ("" for {@code <>})
     * @param timeMillis   when it bounced
     */
    boolean offer(String recipient, BounceReason reason, String senderDomain, long timeMillis);
}
