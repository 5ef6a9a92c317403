package io.sluice.dns;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a domain's MTA-STS policy (RFC 8461 4 and 5) does to its resolved MX hosts, and the reports of testing mode.
 *
 * <p>{@link #apply}: under {@code enforce} only the MX hosts the policy lists are kept, on a site marked for verified
 * TLS ({@link SiteKey#withMtaSts}; the delivery stage connects to it with {@code verify}); none left is a temporary
 * failure {@code 451 4.7.5} naming the hosts and the policy. Under {@code testing} every host is kept, mismatches are
 * counted and logged, and the site is marked so that the scheduler reports sessions enforce would have refused
 * ({@link #reportUnverified}). No policy, mode {@code none}, or a failed resolution: unchanged. Thread-safe
 * (counters and logs only).
 */
public final class MtaStsEnforcement {
    static final int LOG_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsEnforcement.class);

    private final MtaStsCounters counters;

    MtaStsEnforcement(MtaStsCounters counters) {
        this.counters = counters;
    }

    /**
     * {@code destination} as the policy of {@code domain} allows it (see the class comment).
     */
    Destination apply(String domain, Destination destination, MtaStsPolicy policy) {
        if (policy == null || policy.mode() == MtaStsPolicy.Mode.NONE
                || !(destination instanceof Destination.Hosts hosts)) {
            return destination;
        }
        List<MxHost> allowed = new ArrayList<>(hosts.hosts().size());
        List<String> refused = new ArrayList<>(2);
        for (MxHost h : hosts.hosts()) {
            if (policy.allows(h.name())) {
                allowed.add(h);
            } else {
                refused.add(h.name());
            }
        }
        if (!refused.isEmpty()) {
            counters.failure(policy.mode(), MtaStsCounters.Failure.MX_MISMATCH);
            LOG.warn("MTA-STS ({}) {}: MX host{} {} not in the policy's mx {}{}", policy.mode().word(), domain,
                    refused.size() > 1 ? "s" : "", refused, policy.mx(),
                    policy.mode() == MtaStsPolicy.Mode.ENFORCE ? (allowed.isEmpty() ? ", mail deferred"
                            : ", not used") : ", delivering anyway (testing)");
        }
        if (policy.mode() == MtaStsPolicy.Mode.TESTING) {
            return new Destination.Hosts(hosts.hosts(), hosts.site().withMtaSts(MtaStsPolicy.Mode.TESTING));
        }
        if (allowed.isEmpty()) {
            return new Destination.Temporary(451, "4.7.5", "MTA-STS policy of " + domain + " (enforce, id "
                    + policy.id() + ") allows none of its MX hosts " + refused + " (policy mx: " + policy.mx() + ")");
        }
        return new Destination.Hosts(allowed,
                new Destination.Hosts(allowed).site().withMtaSts(MtaStsPolicy.Mode.ENFORCE));
    }

    /**
     * A session of a site under a {@code testing} policy that enforce would have refused: its certificate did not
     * validate or name {@code mxHost}, or it had no TLS. Counted; the first and every {@value #LOG_EVERY}th are
     * logged (the scheduler calls this for every such result).
     */
    public void reportUnverified(SiteKey site, String mxHost) {
        counters.failure(MtaStsPolicy.Mode.TESTING, MtaStsCounters.Failure.TLS_UNVERIFIED);
        long n = counters.failures(MtaStsPolicy.Mode.TESTING, MtaStsCounters.Failure.TLS_UNVERIFIED);
        if (n == 1 || n % LOG_EVERY == 0) {
            LOG.warn("MTA-STS (testing) {}: session to {} without verified TLS; enforce would defer it ({} so far)",
                    site, mxHost, n);
        }
    }
}
