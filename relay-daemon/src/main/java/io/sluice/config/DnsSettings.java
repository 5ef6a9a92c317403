package io.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * DNS resolution for delivery ({@code dns} in sluice.yaml).
 *
 * @param resolvers    recursive resolvers as {@code host:port} IP literals ({@code resolvers}; default empty: the
 *                     system's resolvers from /etc/resolv.conf, which exist on every machine, so a first run
 *                     delivers; a production MTA usually names a local caching resolver such as unbound here).
 *                     Tests and labs point this at a loopback server.
 * @param timeout      per-query timeout ({@code timeout}, default 5s); a timeout is a temporary failure
 * @param maxCacheTtl  cap on cached answers' TTL ({@code max_cache_ttl}, default 1h)
 * @param negativeTtl  how long NXDOMAIN/NODATA answers are cached at most ({@code negative_ttl}, default 5m)
 */
public record DnsSettings(List<String> resolvers, Duration timeout, Duration maxCacheTtl, Duration negativeTtl) {

    public static final List<String> DEFAULT_RESOLVERS = List.of();
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_CACHE_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(5);

    public DnsSettings {
        resolvers = List.copyOf(resolvers);
    }

    public static DnsSettings defaults() {
        return new DnsSettings(DEFAULT_RESOLVERS, DEFAULT_TIMEOUT, DEFAULT_MAX_CACHE_TTL, DEFAULT_NEGATIVE_TTL);
    }
}
