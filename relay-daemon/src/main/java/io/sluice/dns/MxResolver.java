package io.sluice.dns;

import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.util.IdnDomain;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds where mail for a recipient domain goes (RFC 5321 section 5.1): the MX hosts in trying order with their
 * usable addresses, or a permanent or temporary failure.
 *
 * <p>Steps for {@link #resolve(String) resolve(domain)}:
 * <ol>
 *   <li>MX lookup. NXDOMAIN: {@link Destination.Permanent} {@code 550 5.1.2}. SERVFAIL, timeout, network error:
 *       {@link Destination.Temporary} {@code 451 4.4.3}. A lone MX of {@code .} (RFC 7505 null MX):
 *       permanent {@code 556 5.1.10 Recipient address has null MX}; a {@code .} beside real MX records is skipped.
 *       NODATA (no MX): implicit MX, the domain itself with preference 0.</li>
 *   <li>Order: by preference, random among equal preferences (load spreading as RFC 5321 asks); a host listed
 *       twice keeps its best preference; at most {@value #MAX_MX_HOSTS} hosts are kept.</li>
 *   <li>A and AAAA of every host, in parallel; IPv4 addresses first. Addresses refused by {@link AddressPolicy}
 *       (loopback, private, link-local, own, ...) are dropped unless {@code delivery.allow_private_mx}; a host left
 *       without addresses is skipped.</li>
 *   <li>Hosts left: {@link Destination.Hosts} with their {@link SiteKey}. None left: temporary when some host's
 *       lookups all failed or gave nothing while one failed temporarily (that host may resolve later); else
 *       permanent {@code 550 5.4.4} when addresses were refused ("MX points to a private or local address"). A
 *       host is decided on the addresses that did resolve: a loopback A with a failed AAAA (a resolver answering
 *       REFUSED to AAAA, as dnsmasq does) is refused as with a NODATA AAAA, not retried for days. Else for an implicit MX permanent
 *       {@code 550 5.1.2} (the domain has neither MX nor address records), for real MX hosts permanent
 *       {@code 550 5.4.4} (no MX host has an address).</li>
 *   <li>With MTA-STS on, the domain's policy ({@link MtaStsPolicies}, looked up in parallel with the MX) is applied
 *       to the hosts: enforce keeps only the hosts it lists, on a site marked for verified TLS, or defers
 *       ({@code 451 4.7.5}) when it lists none; testing marks the site so results are reported.</li>
 * </ol>
 *
 * <p>Caching: every query goes through {@link DnsLookups}' TTL cache (positive answers capped at
 * {@code dns.max_cache_ttl}, negative ones at {@code dns.negative_ttl}), so resolving a domain again within its
 * TTLs sends nothing; the order among equal preferences is drawn afresh each time.
 *
 * <p>Threading: {@link #resolve} may be called from any thread, never blocks and never throws. The future never
 * completes exceptionally. It completes on dnsjava's callback thread {@code sluice-dns}, on the JDK's
 * {@code CompletableFuture} delay thread (when a query hits its deadline), or on the caller's thread before
 * {@code resolve} returns (everything cached). Callers must therefore not block or do heavy work in dependent
 * stages, and must hop to their own thread (e.g. offer the result to the scheduler's inbound queue) before
 * touching their own state. A resolution takes at most two query deadlines (MX, then A/AAAA in parallel), each
 * {@code dns.timeout x 2 x number of resolvers}.
 *
 * <p>Limits: the domain must be a DNS name; an international one is looked up by its A-labels ({@link IdnDomain}),
 * address literals are the caller's business;
 * a malformed name is permanent {@code 550 5.1.2}. Own interface addresses are a snapshot taken at construction.
 *
 * <p>Counters: every {@code resolve} call and every failure, by kind, in {@link #counters()}.
 * Package rule: uses util and config only; no Netty.
 */
public final class MxResolver implements AutoCloseable {

    /** Most MX hosts considered per domain: bounds the A/AAAA fan-out a hostile zone can cause. */
    static final int MAX_MX_HOSTS = 10;

    private static final String TEMPORARY_STATUS = "4.4.3";

    /** One MX host to look up: absolute name, display form, preference. */
    private record Candidate(Name name, String display, int preference) {
    }

    private final DnsLookups dns;
    private final AddressPolicy policy;
    private final Random random;
    private final ResolutionCounters counters = new ResolutionCounters();
    /** MTA-STS policies applied to each answer, and what they do to it; null when off. */
    private final MtaStsPolicies mtaSts;
    private final MtaStsEnforcement enforcement;

    /** A resolver over {@code dns.*}, refusing private and own addresses unless {@code allow_private_mx}. */
    public MxResolver(DnsSettings dns, DeliverySettings delivery) {
        this(dns, delivery.allowPrivateMx(), AddressPolicy.interfaceAddresses(), new Random());
    }

    /**
     * A resolver that also applies MTA-STS ({@code mta_sts}, when enabled): policies are fetched over HTTPS trusting
     * {@code delivery.tls_ca_file} or the JDK's store, from addresses {@code allow_private_mx} permits, and kept in
     * {@code cacheDir} (null: memory only).
     */
    public MxResolver(DnsSettings dns, DeliverySettings delivery, io.sluice.config.MtaStsSettings sts,
                      java.nio.file.Path cacheDir) {
        this.dns = new DnsLookups(dns);
        this.policy = new AddressPolicy(delivery.allowPrivateMx(), AddressPolicy.interfaceAddresses());
        this.random = new Random();
        this.mtaSts = !sts.enabled() ? null : new MtaStsPolicies(this.dns, policy,
                new MtaStsFetcher(io.sluice.util.TrustStores.trustManager(delivery.tlsCaFile()), sts.httpsPort(),
                        sts.fetchTimeout()), sts.fetchTimeout(), cacheDir, System::currentTimeMillis);
        this.enforcement = mtaSts == null ? null : new MtaStsEnforcement(mtaSts.counters());
    }

    /** For tests: a chosen own-address set and a seeded random source. */
    MxResolver(DnsSettings dns, boolean allowPrivateMx, Set<InetAddress> ownAddresses, Random random) {
        this.dns = new DnsLookups(dns);
        this.policy = new AddressPolicy(allowPrivateMx, ownAddresses);
        this.random = random;
        this.mtaSts = null;
        this.enforcement = null;
    }

    /** The MTA-STS policies applied to answers, or null when {@code mta_sts.enabled} is false. */
    public MtaStsPolicies mtaSts() {
        return mtaSts;
    }

    /** What MTA-STS policies do to answers (and testing mode's reports), or null when off. */
    public MtaStsEnforcement mtaStsEnforcement() {
        return enforcement;
    }

    /** Where mail for {@code domain} (e.g. {@code example.com}, any case, trailing dot optional) goes. */
    public CompletableFuture<Destination> resolve(String domain) {
        counters.lookup();
        String display;
        Name name;
        try {
            String ascii = IdnDomain.toAscii(domain); // DNS knows A-labels only
            if (ascii == null) {
                throw new IllegalArgumentException("not a valid IDNA 2008 name");
            }
            display = SiteKey.normalise(ascii);
            name = Name.fromString(display + ".");
        } catch (TextParseException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(failed(ResolutionCounters.Failure.BAD_NAME,
                    new Destination.Permanent(550, "5.1.2", "Bad destination domain syntax: \"" + domain + "\"")));
        }
        CompletableFuture<Destination> hosts = dns.query(name, Type.MX)
                .thenCompose(answer -> switch (answer.kind()) {
                    case FOUND -> fromMx(display, answer.records());
                    case NODATA -> addresses(display, List.of(new Candidate(name, display, 0)), true);
                    case NXDOMAIN -> CompletableFuture.completedFuture(notFound(display));
                    case FAILED -> CompletableFuture.completedFuture(temporary(display + "/MX", answer.detail()));
                })
                .exceptionally(t -> temporary(display, "unexpected error: " + t));
        if (mtaSts == null) {
            return hosts;
        }
        return hosts.thenCombine(mtaSts.policy(display), (d, p) -> enforcement.apply(display, d, p))
                .exceptionally(t -> temporary(display, "unexpected error: " + t));
    }

    /**
     * The addresses of a smarthost's {@code host} ({@code smarthosts[].host}): an IP literal as it is, a name by its
     * A and AAAA records (never MX; IPv4 first). No address is refused: the operator named this host, so loopback
     * and private addresses are fine ({@code allow_private_mx} is about addresses found in recipients' DNS).
     * Completes with {@link Destination.Hosts} (one host), or {@link Destination.Temporary} {@code 451 4.4.3} when
     * the lookups fail or find nothing (a smarthost that does not resolve is down, not a reason to bounce mail).
     * Same threading and caching as {@link #resolve}.
     */
    public CompletableFuture<Destination> resolveHost(String host) {
        if (io.sluice.util.IpLiteral.isLiteral(host)) {
            return CompletableFuture.completedFuture(new Destination.Hosts(List.of(
                    new MxHost(host, 0, List.of(io.sluice.util.IpLiteral.toInetAddress(host))))));
        }
        Name name;
        String display;
        try {
            display = SiteKey.normalise(host);
            name = Name.fromString(display + ".");
        } catch (TextParseException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(temporary(host, "not a host name"));
        }
        CompletableFuture<DnsAnswer> a = dns.query(name, Type.A);
        CompletableFuture<DnsAnswer> aaaa = dns.query(name, Type.AAAA);
        return a.thenCombine(aaaa, (v4, v6) -> {
            List<InetAddress> addresses = new ArrayList<>(4);
            String failure = null;
            for (DnsAnswer answer : new DnsAnswer[] {v4, v6}) {
                if (answer.kind() == DnsAnswer.Kind.FAILED && failure == null) {
                    failure = answer.detail();
                }
                for (Record r : answer.records()) {
                    InetAddress address = address(r);
                    if (address != null) {
                        addresses.add(address);
                    }
                }
            }
            if (!addresses.isEmpty()) {
                return (Destination) new Destination.Hosts(List.of(new MxHost(display, 0, addresses)));
            }
            return temporary(display + "/A+AAAA", failure != null ? failure : "no address records");
        }).exceptionally(t -> temporary(display, "unexpected error: " + t));
    }

    /** Whether the resolvers answer, and which they are; read from any thread. */
    public ResolverHealth health() {
        return dns.health();
    }

    /** Lookups and failures so far; read from any thread. */
    public ResolutionCounters counters() {
        return counters;
    }

    /** Stops the DNS callback thread; later resolutions complete {@link Destination.Temporary}. Idempotent. */
    @Override
    public void close() {
        if (mtaSts != null) {
            mtaSts.close();
        }
        dns.close();
    }

    private CompletableFuture<Destination> fromMx(String domain, List<Record> records) {
        List<MXRecord> mx = new ArrayList<>();
        boolean sawNullMx = false;
        for (Record r : records) {
            if (r instanceof MXRecord m) {
                if (m.getTarget().equals(Name.root)) {
                    sawNullMx = true;
                } else {
                    mx.add(m);
                }
            }
        }
        if (mx.isEmpty()) {
            return CompletableFuture.completedFuture(sawNullMx
                    ? failed(ResolutionCounters.Failure.NULL_MX,
                            new Destination.Permanent(556, "5.1.10", "Recipient address has null MX"))
                    : failed(ResolutionCounters.Failure.NO_ADDRESS,
                            new Destination.Permanent(550, "5.4.4", "No usable MX record for " + domain)));
        }
        mx.sort(Comparator.comparingInt(MXRecord::getPriority));
        Map<String, Candidate> unique = new LinkedHashMap<>();
        for (MXRecord m : mx) {
            String display = SiteKey.normalise(m.getTarget().toString());
            unique.putIfAbsent(display, new Candidate(m.getTarget(), display, m.getPriority()));
        }
        List<Candidate> ordered = new ArrayList<>(unique.values());
        shuffleEqualPreferences(ordered);
        return addresses(domain, ordered.subList(0, Math.min(MAX_MX_HOSTS, ordered.size())), false);
    }

    private void shuffleEqualPreferences(List<Candidate> sorted) {
        int start = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || sorted.get(i).preference() != sorted.get(start).preference()) {
                if (i - start > 1) {
                    Collections.shuffle(sorted.subList(start, i), random);
                }
                start = i;
            }
        }
    }

    /** Looks up A and AAAA of every candidate in parallel, then decides (see the class comment, steps 3-4). */
    private CompletableFuture<Destination> addresses(String domain, List<Candidate> candidates, boolean implicit) {
        List<CompletableFuture<DnsAnswer>> v4 = new ArrayList<>(candidates.size());
        List<CompletableFuture<DnsAnswer>> v6 = new ArrayList<>(candidates.size());
        List<CompletableFuture<DnsAnswer>> all = new ArrayList<>(candidates.size() * 2);
        for (Candidate c : candidates) {
            CompletableFuture<DnsAnswer> a = dns.query(c.name(), Type.A);
            CompletableFuture<DnsAnswer> aaaa = dns.query(c.name(), Type.AAAA);
            v4.add(a);
            v6.add(aaaa);
            all.add(a);
            all.add(aaaa);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(done -> decide(domain, candidates, v4, v6, implicit));
    }

    private Destination decide(String domain, List<Candidate> candidates, List<CompletableFuture<DnsAnswer>> v4,
            List<CompletableFuture<DnsAnswer>> v6, boolean implicit) {
        List<MxHost> hosts = new ArrayList<>(candidates.size());
        String failure = null;
        boolean refused = false;
        boolean nxdomain = false;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            List<InetAddress> usable = new ArrayList<>(4);
            DnsAnswer[] answers = {v4.get(i).join(), v6.get(i).join()}; // complete: allOf has fired
            String hostFailure = null;
            boolean resolved = false;
            for (int k = 0; k < answers.length; k++) {
                DnsAnswer answer = answers[k];
                if (answer.kind() == DnsAnswer.Kind.FAILED && hostFailure == null) {
                    hostFailure = c.display() + (k == 0 ? "/A" : "/AAAA") + " failed: " + answer.detail();
                }
                nxdomain |= answer.kind() == DnsAnswer.Kind.NXDOMAIN;
                for (Record r : answer.records()) {
                    InetAddress address = address(r);
                    if (address == null) {
                        continue;
                    }
                    resolved = true;
                    if (policy.permits(address)) {
                        usable.add(address);
                    } else {
                        refused = true;
                    }
                }
            }
            if (!resolved && hostFailure != null && failure == null) {
                failure = hostFailure; // nothing known about this host: it may resolve to a usable address later
            }
            if (!usable.isEmpty()) {
                hosts.add(new MxHost(c.display(), c.preference(), usable));
            }
        }
        if (!hosts.isEmpty()) {
            return new Destination.Hosts(hosts);
        }
        if (failure != null) {
            return failed(ResolutionCounters.Failure.TEMPORARY,
                    new Destination.Temporary(451, TEMPORARY_STATUS, "DNS lookup of " + failure));
        }
        if (refused) {
            return failed(ResolutionCounters.Failure.REFUSED_PRIVATE, new Destination.Permanent(550, "5.4.4",
                    "MX points to a private or local address (" + domain + ")"));
        }
        if (implicit) {
            return nxdomain ? notFound(domain) : failed(ResolutionCounters.Failure.NO_ADDRESS,
                    new Destination.Permanent(550, "5.1.2",
                            "Host or domain name not found: " + domain + " has no MX and no address records"));
        }
        return failed(ResolutionCounters.Failure.NO_ADDRESS,
                new Destination.Permanent(550, "5.4.4", "No MX host of " + domain + " has an address"));
    }

    /** The address of an A or AAAA record without the host name dnsjava attaches; null for other types. */
    static InetAddress address(Record r) {
        if (r instanceof ARecord a) {
            return AddressPolicy.plain(a.getAddress());
        }
        if (r instanceof AAAARecord aaaa) {
            return AddressPolicy.plain(aaaa.getAddress());
        }
        return null;
    }

    private Destination notFound(String domain) {
        return failed(ResolutionCounters.Failure.NXDOMAIN, new Destination.Permanent(550, "5.1.2",
                "Host or domain name not found: " + domain + " does not exist (NXDOMAIN)"));
    }

    private Destination temporary(String lookup, String detail) {
        return failed(ResolutionCounters.Failure.TEMPORARY,
                new Destination.Temporary(451, TEMPORARY_STATUS, "DNS lookup of " + lookup + " failed: " + detail));
    }

    /** Counts {@code kind} and returns {@code d}, so each failure is counted where it is decided. */
    private Destination failed(ResolutionCounters.Failure kind, Destination d) {
        counters.failed(kind);
        return d;
    }
}
