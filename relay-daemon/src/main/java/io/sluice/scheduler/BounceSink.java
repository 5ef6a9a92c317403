package io.sluice.scheduler;

/**
 * The hook where DSN generation will attach: told about every recipient the scheduler gives up on (bounced or
 * expired) right before its OUTCOME is offered to the journal, on the scheduler thread. Must not block. Today
 * nothing composes the DSN; the daemon passes {@link #NONE}.
 */
@FunctionalInterface
public interface BounceSink {
    BounceSink NONE = (messageId, recipientIndex, recipient, expired, code, enhancedStatus, text) -> { };

    /**
     * @param expired true for max_age expiry, false for a permanent failure
     * @param code    the reply code that decided it (0 for expiry)
     */
    void failed(long messageId, int recipientIndex, String recipient, boolean expired, int code,
                String enhancedStatus, String text);
}
