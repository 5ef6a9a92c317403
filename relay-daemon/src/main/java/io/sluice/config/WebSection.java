package io.sluice.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code web} section of sluice.yaml into {@link WebSettings}: {@code enabled} (boolean), {@code address}
 * (an IP literal), {@code port}, {@code tls_cert} and {@code tls_key} (both or neither; readable files),
 * {@code max_connections} (1-100000), {@code max_requests_per_ip} (1-100000 a minute) and {@code trusted_proxies}
 * (CIDR or single addresses, each checked on its own). The bind must not collide
 * with a listener's or the admin endpoint's.
 */
final class WebSection {
    static final Limits MAX_CONNECTIONS = Limits.range(1, 100_000, Long::toString);
    static final Limits MAX_REQUESTS = Limits.range(1, 100_000, Long::toString);

    private WebSection() {
    }

    static WebSettings read(YamlMapping m, List<ListenerSettings> listeners, AdminSettings admin) {
        boolean enabled = m.bool("enabled", false);
        String address = m.read("address", WebSettings.DEFAULT_ADDRESS, ListenersSection::ipLiteral);
        int port = m.integer("port", WebSettings.DEFAULT_PORT, Limits.PORT);
        Path cert = m.path("tls_cert", null);
        Path key = m.path("tls_key", null);
        int maxConnections = m.integer("max_connections", WebSettings.DEFAULT_MAX_CONNECTIONS, MAX_CONNECTIONS);
        int maxRequests = m.integer("max_requests_per_ip", WebSettings.DEFAULT_MAX_REQUESTS_PER_IP, MAX_REQUESTS);
        io.sluice.util.CidrSet proxies = proxies(m);
        m.finish();
        if ((cert == null) != (key == null)) {
            m.error(cert == null ? "tls_cert" : "tls_key", "give both tls_cert and tls_key (HTTPS), or neither"
                    + " (plain HTTP behind a TLS proxy)");
        } else if (cert != null) {
            FileChecks.requireReadableFile(m, "tls_cert", cert);
            FileChecks.requireReadableFile(m, "tls_key", key);
        }
        if (enabled && !m.failed("address") && !m.failed("port")) {
            for (ListenerSettings l : listeners) {
                if (BindAddress.collide(address, port, l.address(), l.port())) {
                    m.error("port", BindAddress.display(address, port) + " collides with listener " + l.name()
                            + " (" + BindAddress.display(l.address(), l.port()) + ")");
                }
            }
            if (admin.enabled() && BindAddress.collide(address, port, admin.address(), admin.port())) {
                m.error("port", BindAddress.display(address, port) + " collides with the admin endpoint ("
                        + BindAddress.display(admin.address(), admin.port()) + ")");
            }
        }
        return new WebSettings(enabled, address, port, cert, key, maxConnections, maxRequests, proxies);
    }

    private static io.sluice.util.CidrSet proxies(YamlMapping m) {
        List<YamlMapping.Item> items = m.scalarList("trusted_proxies");
        List<String> good = new java.util.ArrayList<>();
        if (items != null) {
            for (YamlMapping.Item item : items) {
                try {
                    io.sluice.util.CidrSet.parse(List.of(item.text()));
                    good.add(item.text());
                } catch (IllegalArgumentException e) {
                    m.error(item, e.getMessage());
                }
            }
        }
        return io.sluice.util.CidrSet.parse(good);
    }
}
