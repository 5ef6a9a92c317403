package io.sluice.dns;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the configured DNS resolvers answer, for operators: the readiness detail, {@code sluice status}, and a
 * WARN in the log at most once per {@link #WARN_INTERVAL_MILLIS} while they do not.
 *
 * <p>Inputs: every query outcome from {@link DnsLookups}: {@link #answered} for any answer from a server (records,
 * NODATA, NXDOMAIN, SERVFAIL: the resolver is there and speaking), {@link #unanswered} for a timeout or a network
 * error (nothing came back). Output: {@link #failure()}, the words of the last failure while no answer has come
 * since, else null. Mail is still accepted while DNS fails; it is deferred and retried, so this is a warning, not
 * a readiness failure.
 *
 * <p>Threading: written from dnsjava's callback thread and the JDK's delay thread, read from the admin worker;
 * lock-free (volatile fields and an atomic for the warning's rate limit). No allocation on the answered path.
 */
public final class ResolverHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ResolverHealth.class);
    /** At most one "resolvers do not answer" warning per minute: a dead resolver fails every query. */
    static final long WARN_INTERVAL_MILLIS = 60_000;

    private final List<String> servers;
    private final String source;
    private final AtomicLong lastWarnMillis = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile String failure;
    private volatile long failingSinceMillis = -1;

    /**
     * @param servers the resolvers in use, as {@code ip:port}
     * @param source  where they came from, for the log ({@code dns.resolvers} or {@code /etc/resolv.conf})
     */
    ResolverHealth(List<String> servers, String source) {
        this.servers = List.copyOf(servers);
        this.source = source;
    }

    /** The resolvers in use, as {@code ip:port}. */
    public List<String> servers() {
        return servers;
    }

    /** Where the resolver list came from: {@code dns.resolvers} or {@code /etc/resolv.conf}. */
    public String source() {
        return source;
    }

    /** The last failure in words while the resolvers have not answered since, else null. */
    public String failure() {
        return failure;
    }

    /** Since when (epoch ms) the resolvers have not answered, or -1 when they do. */
    public long failingSinceMillis() {
        return failure == null ? -1 : failingSinceMillis;
    }

    void answered() {
        if (failure != null) {
            failure = null;
            failingSinceMillis = -1;
            LOG.info("DNS resolvers {} answer again", servers);
        }
    }

    /** Records a query nothing answered; returns whether this call logged the (rate-limited) warning. */
    boolean unanswered(String reason, long nowMillis) {
        if (failure == null) {
            failingSinceMillis = nowMillis;
        }
        failure = reason;
        long last = lastWarnMillis.get();
        if (nowMillis - last >= WARN_INTERVAL_MILLIS && lastWarnMillis.compareAndSet(last, nowMillis)) {
            LOG.warn("DNS does not work: {}; mail is accepted but deferred until the resolvers ({}, from {}) answer. "
                    + "Set dns.resolvers to a resolver that answers (at most one such warning a minute)",
                    reason, String.join(", ", servers), source);
            return true;
        }
        return false;
    }
}
