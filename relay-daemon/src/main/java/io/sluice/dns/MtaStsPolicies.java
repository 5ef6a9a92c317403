package io.sluice.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The MTA-STS policies of recipient domains (RFC 8461 3 and 5): looked up beside each MX resolution, fetched and
 * cached for their {@code max_age}.
 *
 * <p>{@link #policy(String) policy(domain)}: the {@code _mta-sts.<domain>} TXT record (through the resolver's TTL
 * cache) gives the policy id. No record, several {@code v=STSv1} records, or DNS failure: the cached policy while
 * it is valid (a record that vanishes does not withdraw a policy: RFC 8461 3.1 and 10.2), else none. Same id as the
 * cached policy: the cached one, and a background refetch once it is past half its max_age, so a busy domain's
 * policy never runs out. A new id, or nothing cached: the policy is fetched ({@link MtaStsFetcher}, on this
 * class's own threads) and the resolution waits for it, at most the fetch timeout plus 2 s (waiting for a thread
 * included), then goes on with the cached policy or none; a failed fetch (a refresh too) gives the same, and is not
 * retried for that id for {@value #RETRY_FAILED_AFTER_MILLIS} ms (a dead policy host must not hold each resolution
 * for the fetch timeout). One fetch per domain at a time.
 *
 * <p>What a policy does to the resolved hosts is {@link MtaStsEnforcement}'s.
 *
 * <p>Cache: at most {@value #MAX_ENTRIES} domains (least recently used out), kept across restarts in the given
 * directory ({@link MtaStsCacheFile}), rewritten after fetched policies (one write per burst), after the resolutions
 * waiting for them went on, and on close when one is still due. Threading: {@link #policy} from any thread, never
 * blocking; futures complete on the DNS thread, on this class's threads {@code sluice-mta-sts}, on the JDK's
 * {@code CompletableFuture} delay thread (a wait that ran out), or on the caller's. Never complete
 * exceptionally.
 */
public final class MtaStsPolicies implements AutoCloseable {
    static final int MAX_ENTRIES = 100_000;
    static final long RETRY_FAILED_AFTER_MILLIS = 5 * 60_000L;
    /** Fetch threads: blocking HTTPS, mostly waiting on the network. */
    private static final int THREADS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsPolicies.class);

    /** What is known of one domain: its valid policy (or null), and the last id whose fetch failed. */
    private record Entry(MtaStsPolicy policy, String failedId, long failedAtMillis) {
    }

    private final DnsLookups dns;
    private final AddressPolicy addresses;
    private final MtaStsFetcher fetcher;
    private final LongSupplier clock;
    private final Path dir;
    private final ExecutorService executor;
    private final MtaStsCounters counters = new MtaStsCounters();
    /** The longest a resolution waits for a fetch: the fetch timeout and time to get a thread. */
    private final long waitMillis;
    private final java.util.concurrent.atomic.AtomicBoolean savePending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final ConcurrentHashMap<String, CompletableFuture<MtaStsPolicy>> fetching = new ConcurrentHashMap<>();
    /** Guarded by itself; access order, so the least recently used domain leaves first. */
    private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    MtaStsPolicies(DnsLookups dns, AddressPolicy addresses, MtaStsFetcher fetcher, java.time.Duration fetchTimeout,
                   Path dir, LongSupplier clock) {
        this.waitMillis = fetchTimeout.toMillis() + 2_000;
        this.dns = dns;
        this.addresses = addresses;
        this.fetcher = fetcher;
        this.clock = clock;
        this.dir = dir;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "sluice-mta-sts");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
        load();
    }

    /** Fetches, failures and mismatches so far. */
    public MtaStsCounters counters() {
        return counters;
    }

    /** The policy in force for {@code domain} (lower case A-labels, no trailing dot), or null for none. */
    CompletableFuture<MtaStsPolicy> policy(String domain) {
        Name name;
        try {
            name = Name.fromString("_mta-sts." + domain + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(null);
        }
        return dns.query(name, Type.TXT)
                .thenCompose(answer -> decide(domain, answer))
                .exceptionally(t -> {
                    LOG.warn("MTA-STS lookup of {} failed", domain, t);
                    return cached(domain);
                });
    }

    private CompletableFuture<MtaStsPolicy> decide(String domain, DnsAnswer answer) {
        long now = clock.getAsLong();
        Entry entry = entry(domain);
        MtaStsPolicy cached = entry == null || entry.policy() == null || !entry.policy().validAt(now) ? null
                : entry.policy();
        String id = answer.kind() == DnsAnswer.Kind.FOUND ? recordId(answer.records()) : null;
        if (id == null) {
            return CompletableFuture.completedFuture(cached);
        }
        boolean failedLately = id.equals(entry == null ? null : entry.failedId())
                && now - entry.failedAtMillis() < RETRY_FAILED_AFTER_MILLIS;
        if (cached != null && cached.id().equals(id)) {
            if (now - cached.fetchedAtMillis() > cached.maxAgeSeconds() * 500L && !failedLately) {
                fetch(domain, id); // refresh in the background; this delivery uses the cached one
            }
            return CompletableFuture.completedFuture(cached);
        }
        if (failedLately) {
            return CompletableFuture.completedFuture(cached);
        }
        // the resolution waits at most the fetch timeout and a little (queueing included), then goes on without it
        return fetch(domain, id).thenApply(fetched -> fetched != null ? fetched : cached)
                .completeOnTimeout(cached, waitMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The id of the one {@code v=STSv1} TXT record among {@code records} (RFC 8461 3.1: strings joined, fields
     * {@code v} first, {@code id} 1-32 letters and digits), or null when there is none, several, or it is malformed.
     */
    static String recordId(List<Record> records) {
        String id = null;
        int found = 0;
        for (Record r : records) {
            if (!(r instanceof TXTRecord txt)) {
                continue;
            }
            String text = String.join("", txt.getStrings());
            if (!text.startsWith("v=STSv1") || !text.substring(7).stripLeading().startsWith(";")) {
                continue; // RFC 8461 3.1: records that do not begin with "v=STSv1;" are discarded
            }
            found++;
            id = null;
            String[] fields = text.split(";");
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].trim();
                if (f.startsWith("id=")) {
                    String value = f.substring(3).trim();
                    if (value.matches("[A-Za-z0-9]{1,32}")) {
                        id = value;
                    }
                }
            }
        }
        return found == 1 ? id : null;
    }

    /** Starts (or joins) the fetch of {@code domain}'s policy under {@code id}; completes with it, or null. */
    private CompletableFuture<MtaStsPolicy> fetch(String domain, String id) {
        CompletableFuture<MtaStsPolicy> mine = new CompletableFuture<>();
        CompletableFuture<MtaStsPolicy> running = fetching.putIfAbsent(domain, mine);
        if (running != null) {
            return running;
        }
        String host = "mta-sts." + domain;
        mine.whenComplete((p, t) -> fetching.remove(domain, mine));
        // a backstop, never held for good: given up like a failed fetch, so that id is not queued again at once
        CompletableFuture.delayedExecutor(2 * waitMillis, TimeUnit.MILLISECONDS).execute(() -> {
            if (mine.complete(null)) {
                remember(domain, id);
            }
        });
        addressesOf(host).whenComplete((found, failure) -> {
            try {
                executor.execute(() -> {
                    if (mine.isDone()) {
                        return; // given up while it waited for a thread
                    }
                    MtaStsPolicy p = null;
                    try {
                        p = fetchNow(domain, id, host, failure == null ? found : List.of());
                    } finally {
                        mine.complete(p); // the resolutions waiting for it go on before the file is written
                    }
                    if (p != null) {
                        saveSoon();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                mine.complete(null); // closed
            }
        });
        return mine;
    }

    /** Blocking: fetches, parses and stores; null on failure (counted, logged, remembered). */
    private MtaStsPolicy fetchNow(String domain, String id, String host, List<InetAddress> found) {
        try {
            if (found.isEmpty()) {
                throw new IOException(host + " has no usable address");
            }
            MtaStsPolicy p = MtaStsPolicy.parse(fetcher.fetch(host, found), id, clock.getAsLong());
            counters.fetched();
            LOG.info("MTA-STS policy of {} (id {}): mode {}, mx {}, max_age {}s", domain, id, p.mode().word(),
                    p.mx(), p.maxAgeSeconds());
            synchronized (cache) {
                cache.put(domain, new Entry(p, null, 0));
            }
            return p;
        } catch (IOException | RuntimeException e) {
            counters.fetchFailed();
            MtaStsPolicy cached = remember(domain, id);
            LOG.warn("MTA-STS policy of {} (id {}) not fetched: {}; {}", domain, id, e.getMessage(),
                    cached == null ? "delivering as without a policy" : "the cached policy (id " + cached.id()
                            + ", mode " + cached.mode().word() + ") stays in force");
            return null;
        }
    }

    /** Records that {@code id}'s fetch failed now (not retried for a while); returns the policy still in force. */
    private MtaStsPolicy remember(String domain, String id) {
        MtaStsPolicy cached = cached(domain);
        synchronized (cache) {
            cache.put(domain, new Entry(cached, id, clock.getAsLong()));
        }
        return cached;
    }

    /** The usable addresses of {@code host}, IPv4 first; empty when none (DNS failure, none, or all refused). */
    private CompletableFuture<List<InetAddress>> addressesOf(String host) {
        Name name;
        try {
            name = Name.fromString(host + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(List.of());
        }
        return dns.query(name, Type.A).thenCombine(dns.query(name, Type.AAAA), (v4, v6) -> {
            List<InetAddress> out = new ArrayList<>(4);
            for (DnsAnswer a : new DnsAnswer[] {v4, v6}) {
                for (Record r : a.records()) {
                    InetAddress address = MxResolver.address(r);
                    if (address != null && addresses.permits(address)) {
                        out.add(address);
                    }
                }
            }
            return out;
        });
    }

    private Entry entry(String domain) {
        synchronized (cache) {
            return cache.get(domain);
        }
    }

    private MtaStsPolicy cached(String domain) {
        Entry e = entry(domain);
        return e != null && e.policy() != null && e.policy().validAt(clock.getAsLong()) ? e.policy() : null;
    }

    /**
     * Writes the cache file soon, on a fetch thread: a burst of fetched policies costs one write, since a save asked
     * for while one is queued is that one (it copies the cache when it runs).
     */
    private void saveSoon() {
        if (dir != null && !savePending.getAndSet(true)) {
            try {
                executor.execute(this::save);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                savePending.set(false); // closed
            }
        }
    }

    /** Writes every valid policy to the cache file ({@link MtaStsCacheFile}); one writer at a time. */
    private synchronized void save() {
        savePending.set(false); // a policy stored from now on asks for another save
        Map<String, MtaStsPolicy> valid = new LinkedHashMap<>();
        long now = clock.getAsLong();
        synchronized (cache) {
            for (Map.Entry<String, Entry> e : cache.entrySet()) {
                MtaStsPolicy p = e.getValue().policy();
                if (p != null && p.validAt(now)) {
                    valid.put(e.getKey(), p);
                }
            }
        }
        MtaStsCacheFile.write(dir, valid);
    }

    /** Takes the valid policies of the cache file. */
    private void load() {
        if (dir == null) {
            return;
        }
        Map<String, MtaStsPolicy> saved = MtaStsCacheFile.read(dir, clock.getAsLong());
        synchronized (cache) {
            for (Map.Entry<String, MtaStsPolicy> e : saved.entrySet()) {
                cache.put(e.getKey(), new Entry(e.getValue(), null, 0));
            }
        }
    }

    /**
     * Stops the fetch threads (waiting up to 2 s, so a cache file write under way ends before this returns), writes
     * the cache file if a save was still due, and completes fetches under way with no policy.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try { // a save under way finishes (fetches blocked in a read may not: at most 2 s for them)
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dir != null && savePending.get()) {
            save(); // a save still queued would be lost with the executor: the file must hold every policy
        }
        for (CompletableFuture<MtaStsPolicy> f : fetching.values()) {
            f.complete(null);
        }
    }
}
