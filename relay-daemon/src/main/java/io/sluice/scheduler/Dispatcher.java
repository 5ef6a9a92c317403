package io.sluice.scheduler;

/**
 * The delivery port: where the {@link Scheduler} hands work. The delivery stage implements it (wired later); tests
 * use a recording implementation.
 *
 * <p>Contract: {@link #dispatch} is called on the scheduler thread and must not block (queue the task and return).
 * Returning false means "full, not now": the scheduler keeps the task at the head of its site's ready queue and
 * tries again on a later cycle, so nothing is lost. Once accepted, the delivery stage must report exactly one
 * {@link TaskResult} for the task through {@link Scheduler#offerResult}; the scheduler reserves a slot in its result
 * queue for every task in flight, so that offer cannot fail.
 */
@FunctionalInterface
public interface Dispatcher {
    /** Takes {@code task} for delivery; false if the delivery stage cannot take it now. */
    boolean dispatch(DeliveryTask task);
}
