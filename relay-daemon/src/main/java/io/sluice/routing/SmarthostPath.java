package io.sluice.routing;

import io.sluice.config.SmarthostSettings;
import java.util.List;

/**
 * Through smarthosts, whatever the recipient domain: the first is used while its circuit is closed, the next ones
 * in order when it is open.
 *
 * @param smarthosts at least one, in failover order
 * @param bindPool   the pool whose sources the connections bind to, or null when the kernel chooses
 */
public record SmarthostPath(List<SmarthostSettings> smarthosts, Pool bindPool) implements EgressPath {

    public SmarthostPath {
        smarthosts = List.copyOf(smarthosts);
    }
}
