package io.sluice.daemon;

import io.sluice.config.EgressSettings;
import io.sluice.config.SourceSettings;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler needs from the egress settings at start and at every reload besides the compiled routes
 * ({@code routing.Router.compile}): the sources that cannot send now because their address is on no local interface ({@link LocalAddresses}). Such
 * a source is left out of every pick (its pools' other sources take its share; a pool with none left defers its
 * mail with the reason) and is reported in the log, as check-config reports it. Stateless.
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
}
