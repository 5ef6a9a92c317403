package io.sluice.scheduler;

/**
 * One smarthost as {@code sluice status} and the metrics show it. Immutable.
 *
 * @param name              {@code smarthosts[].name}
 * @param host              its host (IP literal or name)
 * @param port              its port
 * @param state             {@code closed}, {@code open}, {@code half-open} (its probe is out) or {@code unresolved}
 *                          (the host has no known address)
 * @param failures          consecutive failures counted
 * @param nextProbeAtMillis when an open breaker's next probe may start (epoch millis), -1 when closed
 * @param unresolved        the last address lookup's failure, or null
 * @param opened            times the breaker opened since the daemon started
 * @param closed            times it closed again
 */
public record SmarthostStatus(String name, String host, int port, String state, int failures, long nextProbeAtMillis,
                              String unresolved, long opened, long closed) {
}
