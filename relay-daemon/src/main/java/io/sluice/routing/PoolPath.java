package io.sluice.routing;

/**
 * Direct to the recipient domain's MX hosts, each connection bound to one of the pool's sources by weight.
 *
 * @param pool the pool
 */
public record PoolPath(Pool pool) implements EgressPath {
}
