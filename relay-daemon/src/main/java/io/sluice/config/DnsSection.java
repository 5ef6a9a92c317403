package io.sluice.config;

import io.sluice.util.Durations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code dns} section into {@link DnsSettings}.
 *
 * <p>Each {@code resolvers} entry must be an {@code ip:port} or {@code [ipv6]:port} literal (see
 * {@link SocketAddressLiteral}); host names are refused because resolving the resolver is circular. A duplicate
 * entry is an error, since it would only double the retries against one server. Bounds, and why: {@code timeout}
 * 1ms-5m (a per-query wait; zero would fail every lookup); {@code max_cache_ttl} 0s-7d and {@code negative_ttl}
 * 0s-1d (0s turns that cache off; dnsjava counts whole seconds, so sub-second parts are dropped).
 */
final class DnsSection {

    private DnsSection() {
    }

    static DnsSettings read(YamlMapping m) {
        List<String> resolvers = resolvers(m);
        Duration timeout = m.duration("timeout", DnsSettings.DEFAULT_TIMEOUT,
                Limits.range(1, Duration.ofMinutes(5).toMillis(), DnsSection::millis));
        Duration maxCacheTtl = m.duration("max_cache_ttl", DnsSettings.DEFAULT_MAX_CACHE_TTL,
                Limits.range(0, Duration.ofDays(7).toMillis(), DnsSection::millis));
        Duration negativeTtl = m.duration("negative_ttl", DnsSettings.DEFAULT_NEGATIVE_TTL,
                Limits.range(0, Duration.ofDays(1).toMillis(), DnsSection::millis));
        m.finish();
        return new DnsSettings(resolvers, timeout, maxCacheTtl, negativeTtl);
    }

    private static List<String> resolvers(YamlMapping m) {
        List<YamlMapping.Item> items = m.scalarList("resolvers");
        if (items == null) {
            return DnsSettings.DEFAULT_RESOLVERS;
        }
        List<String> good = new ArrayList<>();
        Map<InetSocketAddress, YamlMapping.Item> seen = new HashMap<>();
        for (YamlMapping.Item item : items) {
            InetSocketAddress address;
            try {
                address = SocketAddressLiteral.parse(item.text());
            } catch (IllegalArgumentException e) {
                m.error(item, e.getMessage());
                continue;
            }
            YamlMapping.Item first = seen.putIfAbsent(address, item);
            if (first != null) {
                m.error(item, item.text() + " is already listed as " + first.path());
                continue;
            }
            good.add(item.text());
        }
        return good;
    }

    private static String millis(long ms) {
        return Durations.format(Duration.ofMillis(ms));
    }
}
