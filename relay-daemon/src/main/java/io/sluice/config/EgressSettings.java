package io.sluice.config;

import java.util.List;

/**
 * Egress paths (top-level {@code sources}, {@code pools}, {@code smarthosts}, {@code routes}, {@code lanes},
 * {@code quotas} in sluice.yaml), read by {@link EgressSection}.
 *
 * <p>Contract: every cross-reference is already checked (pools name existing sources, routes existing pools,
 * smarthosts, lanes and listeners), names are unique per kind, and the last route is the only one without a match.
 * Defaults when the file leaves a key out: one source {@code default} from {@code delivery.bind_address} and
 * {@code delivery.ehlo_name}; one pool {@code default} = [default:1]; no smarthosts; one route {@code default} to
 * pool {@code default}; lanes {transactional: 4, bulk: 1}; no quotas. The lane {@code default} (weight 1 unless set)
 * always exists. Immutable.
 *
 * @param sources    outbound identities, at least one, in file order
 * @param pools      weighted sets of sources, at least one
 * @param smarthosts relays, possibly none
 * @param routes     in evaluation order, the last one without match
 * @param lanes      lanes with their weights, {@code default} included
 * @param quotas     per AUTH identity limits, possibly none
 */
public record EgressSettings(List<SourceSettings> sources, List<PoolSettings> pools,
                             List<SmarthostSettings> smarthosts, List<RouteSettings> routes, List<LaneSettings> lanes,
                             List<QuotaSettings> quotas) {

    public EgressSettings {
        sources = List.copyOf(sources);
        pools = List.copyOf(pools);
        smarthosts = List.copyOf(smarthosts);
        routes = List.copyOf(routes);
        lanes = List.copyOf(lanes);
        quotas = List.copyOf(quotas);
    }

    /**
     * What a file without egress keys gives: source {@code default} ({@code bindAddress}, null = the kernel
     * chooses; {@code ehloName}), pool {@code default}, route {@code default}, the default lanes, nothing else.
     */
    public static EgressSettings defaults(String bindAddress, String ehloName) {
        return new EgressSettings(
                List.of(new SourceSettings(SourceSettings.DEFAULT_NAME, bindAddress, ehloName, true)),
                List.of(new PoolSettings(PoolSettings.DEFAULT_NAME,
                        List.of(new PoolSettings.Member(SourceSettings.DEFAULT_NAME, 1)))),
                List.of(),
                List.of(new RouteSettings(RouteSettings.DEFAULT_NAME, null, LaneSettings.DEFAULT_NAME,
                        PoolSettings.DEFAULT_NAME, List.of())),
                List.of(new LaneSettings("transactional", 4), new LaneSettings("bulk", 1),
                        new LaneSettings(LaneSettings.DEFAULT_NAME, LaneSettings.DEFAULT_WEIGHT)),
                List.of());
    }

    /** The source with this name, or null. */
    public SourceSettings source(String name) {
        return named(sources, SourceSettings::name, name);
    }

    /** The pool with this name, or null. */
    public PoolSettings pool(String name) {
        return named(pools, PoolSettings::name, name);
    }

    /** The smarthost with this name, or null. */
    public SmarthostSettings smarthost(String name) {
        return named(smarthosts, SmarthostSettings::name, name);
    }

    /** The lane with this name, or null. */
    public LaneSettings lane(String name) {
        return named(lanes, LaneSettings::name, name);
    }

    private static <T> T named(List<T> items, java.util.function.Function<T, String> nameOf, String name) {
        for (T item : items) {
            if (nameOf.apply(item).equals(name)) {
                return item;
            }
        }
        return null;
    }
}
