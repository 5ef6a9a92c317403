package io.sluice.routing;

/**
 * How a route's messages leave: {@link PoolPath} (direct to the recipient domain's MX hosts, bound through a pool)
 * or {@link SmarthostPath} (through relays, in failover order). Decided when a message is scheduled, not when it is
 * received, so a reload applies to mail already queued. Immutable.
 */
public sealed interface EgressPath permits PoolPath, SmarthostPath {
}
