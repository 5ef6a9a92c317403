package io.sluice.scheduler;

/**
 * When a recovered message was accepted, for expiry: the pending set does not keep the received time (it lives in
 * the ACCEPTED record in {@code bodies/}), so whoever loads the scheduler supplies a lookup.
 */
@FunctionalInterface
public interface ReceivedTimes {
    /**
     * A lower bound from the id alone: ids start at {@code epochMillis << 20} when the journal opens, so
     * {@code id >>> 20} is at or before the time the daemon that accepted it started. Errs towards expiring early.
     */
    ReceivedTimes ID_TIME_FLOOR = id -> id >>> 20;

    long receivedAtMillis(long messageId);
}
