package io.sluice.cli;

import io.sluice.config.SmarthostSettings;
import io.sluice.routing.Pool;
import io.sluice.routing.PoolPath;
import io.sluice.routing.Route;
import io.sluice.routing.SmarthostPath;
import io.sluice.routing.WeightedSource;
import io.sluice.util.JsonText;
import java.util.Locale;

/**
 * How {@code sluice route test} prints a {@link Route}: as text for people (route, lane, path: pool with its sources
 * and weights, or smarthosts in failover order and the bind pool) or as one JSON object for scripts. Stateless.
 *
 * <p>JSON shape: {@code {"route": name, "recipient_domain": d, "lane": {"name", "weight"}, "path": P}} where P is
 * {@code {"type": "pool", "pool": POOL}} or {@code {"type": "smarthosts", "smarthosts": [{"name", "host", "port",
 * "tls", "auth"}], "pool": POOL or null}}, and POOL is {@code {"name", "sources": [{"name", "address" (null = the
 * kernel chooses), "ehlo_name", "weight"}]}}.
 */
final class RouteReport {

    private RouteReport() {
    }

    static String text(Route route) {
        StringBuilder out = new StringBuilder();
        out.append("route: ").append(route.name()).append('\n');
        out.append("lane: ").append(route.lane().name()).append(" (weight ").append(route.lane().weight())
                .append(")\n");
        if (route.path() instanceof PoolPath p) {
            out.append("path: direct to MX through pool ").append(p.pool().name()).append('\n');
            sources(out, p.pool());
        } else if (route.path() instanceof SmarthostPath s) {
            out.append("path: smarthosts, in failover order\n");
            int n = 1;
            for (SmarthostSettings h : s.smarthosts()) {
                out.append("  ").append(n++).append(". ").append(h.name()).append(' ').append(hostPort(h))
                        .append(" tls ").append(tls(h)).append(h.auth() != null ? " auth " + h.auth().username() : "")
                        .append('\n');
            }
            if (s.bindPool() == null) {
                out.append("bind pool: none (the kernel chooses the source address)\n");
            } else {
                out.append("bind pool: ").append(s.bindPool().name()).append('\n');
                sources(out, s.bindPool());
            }
        }
        return out.toString();
    }

    private static void sources(StringBuilder out, Pool pool) {
        for (WeightedSource w : pool.sources()) {
            out.append("  source ").append(w.source().name()).append(" address ")
                    .append(w.source().address() == null ? "(kernel chooses)" : w.source().address())
                    .append(" ehlo ").append(w.source().ehloName()).append(" weight ").append(w.weight())
                    .append('\n');
        }
    }

    static String json(Route route, String recipientDomain) {
        StringBuilder out = new StringBuilder("{\"route\":");
        JsonText.string(out, route.name()).append(",\"recipient_domain\":");
        JsonText.string(out, recipientDomain).append(",\"lane\":{\"name\":");
        JsonText.string(out, route.lane().name()).append(",\"weight\":").append(route.lane().weight())
                .append("},\"path\":");
        if (route.path() instanceof PoolPath p) {
            out.append("{\"type\":\"pool\",\"pool\":");
            pool(out, p.pool());
        } else if (route.path() instanceof SmarthostPath s) {
            out.append("{\"type\":\"smarthosts\",\"smarthosts\":[");
            for (int i = 0; i < s.smarthosts().size(); i++) {
                SmarthostSettings h = s.smarthosts().get(i);
                out.append(i == 0 ? "" : ",").append("{\"name\":");
                JsonText.string(out, h.name()).append(",\"host\":");
                JsonText.string(out, h.host()).append(",\"port\":").append(h.port()).append(",\"tls\":\"")
                        .append(tls(h)).append("\",\"auth\":").append(h.auth() != null).append('}');
            }
            out.append("],\"pool\":");
            pool(out, s.bindPool());
        }
        return out.append("}}").toString();
    }

    private static void pool(StringBuilder out, Pool pool) {
        if (pool == null) {
            out.append("null");
            return;
        }
        out.append("{\"name\":");
        JsonText.string(out, pool.name()).append(",\"sources\":[");
        for (int i = 0; i < pool.sources().size(); i++) {
            WeightedSource w = pool.sources().get(i);
            out.append(i == 0 ? "" : ",").append("{\"name\":");
            JsonText.string(out, w.source().name()).append(",\"address\":");
            JsonText.string(out, w.source().address()).append(",\"ehlo_name\":");
            JsonText.string(out, w.source().ehloName()).append(",\"weight\":").append(w.weight()).append('}');
        }
        out.append("]}");
    }

    private static String hostPort(SmarthostSettings h) {
        return (h.host().indexOf(':') >= 0 ? "[" + h.host() + "]" : h.host()) + ":" + h.port();
    }

    private static String tls(SmarthostSettings h) {
        return h.tls().name().toLowerCase(Locale.ROOT);
    }
}
