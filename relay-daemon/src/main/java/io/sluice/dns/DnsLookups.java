package io.sluice.dns;

import io.sluice.config.DnsSettings;
import io.sluice.config.SocketAddressLiteral;
import io.sluice.util.Durations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * Asynchronous, cached DNS queries for one record type at a time: a thin layer over dnsjava's
 * {@link LookupSession} that turns its results and exceptions into {@link DnsAnswer}s.
 *
 * <p>Built from {@link DnsSettings}: one {@link SimpleResolver} (UDP, TCP on truncation) per {@code dns.resolvers}
 * entry, or per system resolver from /etc/resolv.conf when the list is empty, behind an {@link ExtendedResolver}
 * that tries each server {@value #ATTEMPTS_PER_SERVER} times. Each attempt waits {@code dns.timeout}. No search
 * path and no hosts file: every name is absolute and comes from DNS.
 *
 * <p>Cache: one dnsjava {@link Cache} for class IN, keyed by name and type, holding positive answers for their TTL
 * capped at {@code dns.max_cache_ttl}, and NXDOMAIN/NODATA for the SOA minimum capped at {@code dns.negative_ttl}
 * (RFC 2308; a negative answer without SOA is not cached). dnsjava keeps whole seconds: an entry lives until the
 * wall-clock second {@code now + ttl} begins. Up to {@value #MAX_CACHE_ENTRIES} names (least recently used out).
 *
 * <p>Deadline: each query's future fails at {@code timeout x attempts} at the latest, enforced here with
 * {@link CompletableFuture#orTimeout}, because dnsjava checks its own UDP timeouts only when its selector thread is
 * idle for a whole second; under steady traffic its timeouts may never fire.
 *
 * <p>Failures in words ({@link ResolverFailureText}), never exception class names: they end up in events and
 * DSNs. Every outcome feeds the {@link ResolverHealth} (answered, or not); the resolvers in use are logged once at
 * construction (INFO).
 *
 * <p>Threading: {@link #query} may be called from any thread and never blocks (a cache hit is looked up
 * synchronously under the cache's lock). Futures complete on the single daemon thread {@code sluice-dns} (network
 * answers), on the JDK's delay thread (deadline), or already completed on the caller's thread (cache hits).
 * Futures never complete exceptionally. After {@link #close()} new queries fail at once and pending ones fail by
 * their deadline at the latest.
 */
final class DnsLookups implements AutoCloseable {

    static final int ATTEMPTS_PER_SERVER = 2;
    static final int MAX_CACHE_ENTRIES = 50_000;

    private static final Logger LOG = LoggerFactory.getLogger(DnsLookups.class);

    private final LookupSession session;
    private final ResolverHealth health;
    private final ExecutorService executor;
    private final Duration deadline;
    private volatile boolean closed;

    DnsLookups(DnsSettings settings) {
        List<InetSocketAddress> servers = servers(settings);
        List<String> names = new ArrayList<>(servers.size());
        for (InetSocketAddress server : servers) {
            names.add(ResolverFailureText.display(server));
        }
        health = new ResolverHealth(names, settings.resolvers().isEmpty() ? "/etc/resolv.conf" : "dns.resolvers");
        LOG.info("DNS resolvers {} (from {}), {} per query", String.join(", ", names), health.source(),
                Durations.format(settings.timeout()));
        List<Resolver> resolvers = new ArrayList<>(servers.size());
        for (InetSocketAddress server : servers) {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(settings.timeout());
            resolvers.add(r);
        }
        ExtendedResolver resolver = new ExtendedResolver(resolvers);
        resolver.setRetries(ATTEMPTS_PER_SERVER);
        deadline = settings.timeout().multipliedBy((long) ATTEMPTS_PER_SERVER * Math.max(1, servers.size()));
        resolver.setTimeout(deadline);

        Cache cache = new Cache(DClass.IN);
        cache.setMaxEntries(MAX_CACHE_ENTRIES);
        cache.setMaxCache(seconds(settings.maxCacheTtl()));
        cache.setMaxNCache(seconds(settings.negativeTtl()));

        executor = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "sluice-dns");
            t.setDaemon(true); // never holds up JVM exit; shutdown order is the daemon's job
            return t;
        });
        session = LookupSession.builder().resolver(resolver).cache(cache).executor(executor).build();
    }

    /** Whether the resolvers answer, and which they are. */
    ResolverHealth health() {
        return health;
    }

    /** The longest a query may take before it counts as timed out. */
    Duration deadline() {
        return deadline;
    }

    /** Looks up {@code type} records (e.g. {@link Type#MX}) of an absolute name. */
    CompletableFuture<DnsAnswer> query(Name name, int type) {
        if (closed) {
            return CompletableFuture.completedFuture(DnsAnswer.failed("DNS resolver is closed"));
        }
        CompletableFuture<DnsAnswer> answer;
        try {
            answer = session.lookupAsync(name, type).toCompletableFuture()
                    .thenApply(result -> {
                        health.answered();
                        return DnsAnswer.found(result.getRecords());
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(classify(e));
        }
        return answer.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(this::classify);
    }

    private DnsAnswer classify(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchDomainException) {
            health.answered();
            return DnsAnswer.of(DnsAnswer.Kind.NXDOMAIN);
        }
        if (t instanceof NoSuchRRSetException) {
            health.answered();
            return DnsAnswer.of(DnsAnswer.Kind.NODATA);
        }
        if (t instanceof ServerFailedException) {
            health.answered(); // the resolver answered; the zone's servers failed it
            return DnsAnswer.failed("SERVFAIL");
        }
        if (closed) {
            return DnsAnswer.failed("DNS resolver is closed");
        }
        String reason = ResolverFailureText.describe(t, health.servers(), deadline);
        health.unanswered(reason, System.currentTimeMillis());
        return DnsAnswer.failed(reason);
    }

    /** Stops the callback thread; pending queries fail by their deadline. Idempotent. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    private static List<InetSocketAddress> servers(DnsSettings settings) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String spec : settings.resolvers()) {
            out.add(SocketAddressLiteral.parse(spec));
        }
        if (out.isEmpty()) {
            out.addAll(ResolverConfig.getCurrentConfig().servers());
        }
        return out;
    }

    /** dnsjava caps TTLs in whole seconds; saturate rather than overflow. */
    private static int seconds(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.getSeconds());
    }
}
