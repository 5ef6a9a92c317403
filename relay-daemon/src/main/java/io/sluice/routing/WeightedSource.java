package io.sluice.routing;

import io.sluice.config.SourceSettings;

/**
 * One source of a {@link Pool} with its share of new connections.
 *
 * @param source the outbound identity: local address (null = the kernel chooses) and EHLO name
 * @param weight 0-1000; 0 drains the source (no new mail)
 */
public record WeightedSource(SourceSettings source, int weight) {
}
