package io.sluice.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Where mail for one domain goes, as {@link MxResolver} found it: either hosts to try, or a failure that decides
 * the recipients' fate without any connection.
 *
 * <p>{@link Hosts} lists the MX hosts in trying order. {@link Permanent} means bounce now (5xx: NXDOMAIN, null MX,
 * only private or address-less MX hosts); {@link Temporary} means retry later (4xx: SERVFAIL, timeouts, network
 * errors). Failures carry an SMTP-style reply (code, RFC 3463 enhanced status, text) so that DSNs and the event log
 * can show them like a remote server's reply. Immutable.
 */
public sealed interface Destination permits Destination.Hosts, Destination.Permanent, Destination.Temporary {

    /**
     * MX hosts to try, in order: by preference, random among equal preferences.
     *
     * @param hosts at least one host, each with at least one usable address
     * @param site  the site these hosts form (see {@link SiteKey})
     */
    record Hosts(List<MxHost> hosts, SiteKey site) implements Destination {

        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no hosts");
            }
        }

        /** Hosts whose site key is built from their names. */
        public Hosts(List<MxHost> hosts) {
            this(hosts, siteOf(hosts));
        }

        private static SiteKey siteOf(List<MxHost> hosts) {
            List<String> names = new ArrayList<>(hosts.size());
            for (MxHost h : hosts) {
                names.add(h.name());
            }
            return SiteKey.of(names);
        }
    }

    /**
     * Delivery to this domain cannot succeed: bounce.
     *
     * @param code           SMTP reply code, 5xx
     * @param enhancedStatus RFC 3463 status, e.g. {@code 5.1.2}
     * @param text           human-readable reason naming the domain
     */
    record Permanent(int code, String enhancedStatus, String text) implements Destination {

        /** {@code <code> <enhanced status> <text>}, e.g. {@code 556 5.1.10 Recipient address has null MX}. */
        public String reply() {
            return code + " " + enhancedStatus + " " + text;
        }
    }

    /**
     * DNS could not answer now: retry later (the recipient's backoff and max_age apply).
     *
     * @param code           SMTP reply code, 4xx
     * @param enhancedStatus RFC 3463 status, {@code 4.4.3} (directory server failure)
     * @param text           human-readable reason naming the lookup that failed
     */
    record Temporary(int code, String enhancedStatus, String text) implements Destination {

        /** {@code <code> <enhanced status> <text>}. */
        public String reply() {
            return code + " " + enhancedStatus + " " + text;
        }
    }
}
