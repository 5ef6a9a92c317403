package io.sluice.config;

import java.util.List;

/**
 * A weighted set of sources ({@code pools[]} in sluice.yaml): new connections of a route that uses the pool are
 * spread over its sources in proportion to their weights; weight 0 drains a source (no new mail, what is in flight
 * finishes).
 *
 * @param name    unique name; routes refer to it ({@code name})
 * @param members the sources with their weights, at least one, each naming an existing source once
 *                ({@code sources: [{source, weight}]})
 */
public record PoolSettings(String name, List<Member> members) {

    /** The name of the pool made when the file has no {@code pools}: {@code [default:1]}. */
    public static final String DEFAULT_NAME = "default";

    public PoolSettings {
        members = List.copyOf(members);
    }

    /**
     * One source of a pool.
     *
     * @param source the source's name ({@code source})
     * @param weight its share, 0-1000 ({@code weight}, default 1)
     */
    public record Member(String source, int weight) {
    }
}
