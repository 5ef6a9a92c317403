package io.sluice.daemon;

import io.sluice.config.ShapingSettings;
import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.config.ShapingSettings.Rate;
import io.sluice.config.Settings;
import io.sluice.config.SourceSettings;
import io.sluice.dns.Destination;
import io.sluice.dns.MxResolver;
import io.sluice.scheduler.ShapingState;
import io.sluice.shaping.PathPolicy;
import io.sluice.shaping.PathShape;
import io.sluice.util.Durations;
import io.sluice.util.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code sluice shaping show --domain D}: what traffic shaping does for a domain, as JSON: its site (an MX lookup
 * with the config's resolver), the provider that site belongs to, the limits per (source, site), per (source,
 * provider) and in total, the reply rules, and per source the limits in force now with the actions that narrow
 * them (only when asked of the running daemon: {@code actions} non-null). The same code answers the admin API and
 * the offline command, from a settings snapshot and the path policy built from it.
 *
 * <p>Document: {@code {"domain", "site", "dns_error", "shaping_file", "provider", "limits": {...}, "rules": [{"match",
 * "trigger", "action"}], "sources": [{"source", "connections", "message_rate", "actions": [...]}], "live"}}.
 * Stateless; one resolver per call, closed when it answers.
 */
final class ShapingReport {
    private ShapingReport() {
    }

    /** The report for {@code domain} under {@code settings}; {@code actions} null when offline. */
    static CompletableFuture<String> of(Settings settings, String domain, ShapingState actions) {
        MxResolver resolver = new MxResolver(settings.dns(), settings.delivery());
        CompletableFuture<Destination> lookup;
        try {
            lookup = resolver.resolve(domain);
        } catch (RuntimeException e) {
            resolver.close();
            return CompletableFuture.failedFuture(e);
        }
        return lookup.handle((dest, error) -> {
            resolver.close();
            return render(settings, domain, dest, error, actions);
        });
    }

    static String render(Settings settings, String domain, Destination dest, Throwable error, ShapingState actions) {
        StringBuilder out = new StringBuilder(1024).append("{\"domain\":");
        JsonText.string(out, domain).append(",\"live\":").append(actions != null).append(",\"shaping_file\":");
        ShapingSettings shaping = settings.shaping();
        JsonText.string(out, shaping.file() == null ? null : shaping.file().toString()).append(",\"site\":");
        if (!(dest instanceof Destination.Hosts hosts)) {
            JsonText.string(out, null).append(",\"dns_error\":");
            JsonText.string(out, error != null ? error.toString()
                    : dest instanceof Destination.Permanent p ? p.code() + " " + p.enhancedStatus() + " " + p.text()
                    : dest instanceof Destination.Temporary t ? t.code() + " " + t.enhancedStatus() + " " + t.text()
                    : String.valueOf(dest));
            return out.append('}').toString();
        }
        PathPolicy policy = PathPolicy.from(settings.delivery(), shaping);
        PathShape shape = policy.shape(hosts.site());
        JsonText.string(out, hosts.site().toString()).append(",\"provider\":");
        JsonText.string(out, shape.provider()).append(",\"limits\":{\"connections\":").append(shape.siteConnections())
                .append(",\"message_rate\":");
        rate(out, shape.siteMessageRate()).append(",\"connection_rate\":");
        rate(out, shape.siteConnectionRate()).append(",\"deliveries_per_connection\":")
                .append(shape.deliveriesPerConnection()).append(",\"recipients_per_transaction\":")
                .append(shape.recipientsPerTransaction()).append(",\"source_connections\":")
                .append(shape.sourceConnections()).append(",\"source_message_rate\":");
        rate(out, shape.sourceMessageRate()).append(",\"total_connections\":").append(shape.totalConnections())
                .append(",\"total_message_rate\":");
        rate(out, shape.totalMessageRate()).append(",\"idle_timeout\":");
        JsonText.string(out, Durations.format(shape.idleTimeout())).append(",\"tls\":");
        JsonText.string(out, shape.tls().name().toLowerCase(java.util.Locale.ROOT)).append("},\"rules\":[");
        String comma = "";
        for (AutomationRule r : shape.rules()) {
            out.append(comma).append("{\"match\":");
            JsonText.string(out, r.match()).append(",\"trigger\":");
            JsonText.string(out, r.count() <= 1 ? "immediate" : r.count() + "/" + Durations.format(r.window()))
                    .append(",\"action\":");
            JsonText.string(out, r.action().toString()).append('}');
            comma = ",";
        }
        out.append("],\"sources\":[");
        String target = shape.provider() != null ? "provider " + shape.provider() : "site " + hosts.site();
        comma = "";
        for (String source : sourceNames(settings)) {
            List<ShapingState.Entry> mine = new ArrayList<>();
            if (actions != null) {
                for (ShapingState.Entry a : actions.actions()) {
                    if (a.source().equals(source) && a.target().equals(target)) {
                        mine.add(a);
                    }
                }
            }
            int connections = shape.sourceConnections() > 0 ? shape.sourceConnections() : shape.siteConnections();
            Rate rate = shape.sourceMessageRate() != null ? shape.sourceMessageRate() : shape.siteMessageRate();
            boolean suspended = false;
            for (ShapingState.Entry a : mine) {
                suspended |= a.suspend();
                connections = a.connections() > 0 ? Math.min(connections, a.connections()) : connections;
                rate = a.messageRate() != null && (rate == null
                        || a.messageRate().intervalNanos() > rate.intervalNanos()) ? a.messageRate() : rate;
            }
            out.append(comma).append("{\"source\":");
            JsonText.string(out, source).append(",\"suspended\":").append(suspended).append(",\"connections\":")
                    .append(connections).append(",\"message_rate\":");
            rate(out, rate).append(",\"actions\":");
            ShapingJson.actions(out, new ShapingState(mine)).append('}');
            comma = ",";
        }
        return out.append("]}").toString();
    }

    private static List<String> sourceNames(Settings settings) {
        List<String> names = new ArrayList<>();
        for (SourceSettings s : settings.egress().sources()) {
            names.add(s.name());
        }
        return names;
    }

    private static StringBuilder rate(StringBuilder out, Rate rate) {
        return JsonText.string(out, rate == null ? null : rate.toString());
    }
}
