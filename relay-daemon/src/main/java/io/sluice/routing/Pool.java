package io.sluice.routing;

import java.util.List;

/**
 * A pool with its sources resolved: what a route binds its outbound connections through.
 *
 * @param name    the pool's name
 * @param sources its sources in file order, with their weights; at least one
 */
public record Pool(String name, List<WeightedSource> sources) {

    public Pool {
        sources = List.copyOf(sources);
    }
}
