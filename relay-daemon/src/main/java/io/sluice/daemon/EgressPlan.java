package io.sluice.daemon;

import io.sluice.config.EgressSettings;
import io.sluice.config.RouteSettings;
import io.sluice.config.SourceSettings;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler needs from the egress settings at start and at every reload besides the compiled routes
 * ({@code routing.Router.compile}): the sources that cannot send now because their address is on no local interface ({@link LocalAddresses}). Such
 * a source is left out of every pick (its pools' other sources take its share; a pool with none left defers its
 * mail with the reason) and is reported in the log, as check-config reports it. Routes naming smarthosts are
 * reported too: this build sends their mail direct to MX through their bind pool (or the default route's pool).
 * Stateless.
 */
final class EgressPlan {
    private static final Logger LOG = LoggerFactory.getLogger(EgressPlan.class);

    private EgressPlan() {
    }

    /** Names of sources whose address is set and not on this host; each is logged at WARN. */
    static Set<String> unusableSources(EgressSettings egress) {
        Set<String> unusable = new HashSet<>();
        for (SourceSettings s : egress.sources()) {
            if (s.address() != null && !s.address().isEmpty() && !LocalAddresses.isLocal(s.address())) {
                unusable.add(s.name());
                LOG.warn("source {}: address {} is on no local interface; the source is suspended (its pools' other "
                        + "sources take its mail) until a reload finds it", s.name(), s.address());
            }
        }
        return unusable;
    }

    /** Logs, once per start or reload, each route whose smarthosts this build does not use yet. */
    static void warnUnusedSmarthosts(EgressSettings egress) {
        for (RouteSettings r : egress.routes()) {
            if (!r.smarthosts().isEmpty()) {
                LOG.warn("route {}: smarthosts {} are not used yet by this build; its mail goes direct to MX through "
                        + "pool {}", r.name(), r.smarthosts(), r.pool() != null ? r.pool() : "of the default route");
            }
        }
    }
}
