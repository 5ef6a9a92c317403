package io.sluice.scheduler;

/**
 * What a {@link SteeringCommand} did, as the scheduler reports it when it has applied the command.
 *
 * @param command    the command
 * @param recipients recipients affected: made due (flush), parked (suspend, hold), released to delivery (resume,
 *                   release), given up or about to be (bounce; for a dry run, that would be)
 * @param inFlight   matching recipients in tasks in flight, which the command left alone (they finish their
 *                   attempt; a held or suspended one is parked when it comes back deferred)
 * @param state      every suspension and hold in force after the command (what the daemon persists)
 */
public record SteeringResult(SteeringCommand command, long recipients, long inFlight, SteeringState state) {
}
