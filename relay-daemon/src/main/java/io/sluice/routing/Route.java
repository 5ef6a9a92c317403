package io.sluice.routing;

import io.sluice.config.RouteSettings;

/**
 * The outcome of route evaluation: which route took the message, its lane and its path. Built once per settings
 * snapshot by {@link Router#compile} and shared by every message that takes the route. Immutable.
 *
 * @param name        the route's name ({@code routes[].name})
 * @param lane        its lane with the lane's weight
 * @param path        how its messages leave
 * @param verpDomain  the domain of its VERP return paths ({@code routes[].verp.domain}), or null: no VERP
 * @param unsubscribe its one-click unsubscribe settings ({@code routes[].unsubscribe}), or null: none
 */
public record Route(String name, Lane lane, EgressPath path, String verpDomain,
                    RouteSettings.Unsubscribe unsubscribe) {

    /** A route without VERP or unsubscribe links. */
    public Route(String name, Lane lane, EgressPath path) {
        this(name, lane, path, null, null);
    }
}
