package io.sluice.events;

/**
 * Where stages hand lifecycle events. Never blocks and never fails the caller: an event that cannot be taken is
 * dropped and counted, because the event log must never hold back mail (docs/architecture.md "Journal").
 */
public interface EventPublisher {

    /** Offers the event; false when it was dropped. Any thread. */
    boolean publish(LifecycleEvent event);

    /** Drops everything (tests and tools without an event log). */
    EventPublisher NONE = event -> true;
}
