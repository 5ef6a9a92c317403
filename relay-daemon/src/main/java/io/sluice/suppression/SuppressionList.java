package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list (docs/BOUNCES.md "Suppression"): addresses Sluice does not send to, each in a scope (all
 * mail, one envelope-sender domain, one AUTH identity, one From: domain), added by hard bounces, complaints,
 * unsubscribes and operators.
 *
 * <p>Durability: {@link #add} and {@link #remove} return only once their records are fsynced in the log
 * ({@link SuppressionLog}), so an entry an operator was told about, or a bounce's entry, survives SIGKILL and
 * power loss; at start the log is replayed into the in-memory {@link SuppressionIndex} (and compacted when dead
 * records outnumber live ones). Lookups never touch the disk.
 *
 * <p>Threading: lookups from any thread, lock-free in the common case and allocation-free; changes are
 * serialised (one fsync per call, however many entries it carries: batch them).
 */
public final class SuppressionList implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionList.class);
    /** Compact at start when the log holds this many dead records and more dead than live ones. */
    private static final long COMPACT_MIN_DEAD = 10_000;

    private final SuppressionIndex index;
    private final SuppressionLog log;
    private final Object writeLock = new Object();
    /**
     * Scopes that have held an entry since start: a lookup skips the others (most lists are global only, so a
     * recipient not on the list costs one probe, not three). Set, never cleared.
     */
    private volatile boolean senderDomainUsed;
    private volatile boolean authUsed;
    private volatile boolean fromDomainUsed;

    private SuppressionList(SuppressionIndex index, SuppressionLog log) {
        this.index = index;
        this.log = log;
    }

    /** Opens the list stored in {@code file} (created when absent), replaying it. */
    public static SuppressionList open(Path file) throws IOException {
        SuppressionIndex index = new SuppressionIndex(1024);
        long[] records = {0};
        boolean[] used = new boolean[SuppressionScope.values().length];
        long[] key = new long[2];
        SuppressionLog log = SuppressionLog.open(file, (op, scope, value, address, reason, source, time, expires,
                offset) -> {
            records[0]++;
            used[scope.code()] |= op == SuppressionLog.OP_ADD;
            replayInto(index, key, op, scope, value, address, reason, time, expires);
        });
        SuppressionList list = new SuppressionList(index, log);
        list.senderDomainUsed = used[SuppressionScope.SENDER_DOMAIN.code()];
        list.authUsed = used[SuppressionScope.AUTH.code()];
        list.fromDomainUsed = used[SuppressionScope.FROM_DOMAIN.code()];
        long dead = records[0] - index.size();
        if (dead >= COMPACT_MIN_DEAD && dead > index.size()) {
            long kept = list.compact(System.currentTimeMillis());
            LOG.info("suppression log {} compacted: {} live entries kept, {} dead records dropped", file, kept,
                    records[0] - kept);
        }
        return list;
    }

    /**
     * The reason of the entry suppressing mail to {@code address} in {@code scope} ({@code scopeValue}: the domain
     * or AUTH identity; ignored for global) at {@code nowMillis}, or null when none does. Case-insensitive;
     * allocation-free.
     */
    public BounceReason find(SuppressionScope scope, String scopeValue, String address, long nowMillis) {
        return find(scope, scopeValue, address, nowMillis, Long.MAX_VALUE);
    }

    private BounceReason find(SuppressionScope scope, String scopeValue, String address, long nowMillis,
                              long addedNotAfterMillis) {
        String value = scope == SuppressionScope.GLOBAL || scopeValue == null ? "" : scopeValue;
        long[] key = KEY.get();
        KeyHash.of(scope, value, address, key);
        return index.find(key[0], key[1], nowMillis / 1000, addedNotAfterMillis);
    }

    /** One log record applied to an index being rebuilt ({@code key}: scratch). */
    private static void replayInto(SuppressionIndex index, long[] key, int op, SuppressionScope scope,
                                   CharSequence value, CharSequence address, BounceReason reason, long time,
                                   long expires) {
        KeyHash.of(scope, value, address, key);
        if (op == SuppressionLog.OP_ADD) {
            index.put(key[0], key[1], time, expirySeconds(expires), reason);
        } else {
            index.remove(key[0], key[1]);
        }
    }

    /** A scratch key per thread: lookups allocate nothing. */
    private static final ThreadLocal<long[]> KEY = ThreadLocal.withInitial(() -> new long[2]);

    /**
     * The check at RCPT: a global entry for {@code address}, or one for the envelope sender's domain, or one for
     * the AUTH identity (null or "" when the client did not authenticate); the first found, or null.
     */
    public BounceReason atRcpt(String address, String senderDomain, String authIdentity, long nowMillis) {
        return atRcpt(address, senderDomain, authIdentity, nowMillis, Long.MAX_VALUE);
    }

    /**
     * As above, counting only entries added at or before {@code addedNotAfterMillis}: for a message recovered after
     * a restart, the entries that were there when it was accepted (an entry added later may be this very message's
     * hard bounce, whose OUTCOME and DSN a crash cut off: it must bounce again, not turn into "suppressed").
     */
    public BounceReason atRcpt(String address, String senderDomain, String authIdentity, long nowMillis,
                               long addedNotAfterMillis) {
        if (index.size() == 0) {
            return null; // most deployments' list is empty: no hashing at all
        }
        BounceReason r = find(SuppressionScope.GLOBAL, "", address, nowMillis, addedNotAfterMillis);
        if (r == null && senderDomainUsed && senderDomain != null && !senderDomain.isEmpty()) {
            r = find(SuppressionScope.SENDER_DOMAIN, senderDomain, address, nowMillis, addedNotAfterMillis);
        }
        if (r == null && authUsed && authIdentity != null && !authIdentity.isEmpty()) {
            r = find(SuppressionScope.AUTH, authIdentity, address, nowMillis, addedNotAfterMillis);
        }
        return r;
    }

    /**
     * The check after DATA, when the message is queued: {@link #atRcpt} and then an entry for the header From's
     * domain ({@code fromDomain}; null or "" when the message has none).
     */
    public BounceReason afterData(String address, String senderDomain, String authIdentity, String fromDomain,
                                  long nowMillis, long addedNotAfterMillis) {
        BounceReason r = atRcpt(address, senderDomain, authIdentity, nowMillis, addedNotAfterMillis);
        if (r == null && fromDomainUsed && fromDomain != null && !fromDomain.isEmpty()) {
            r = find(SuppressionScope.FROM_DOMAIN, fromDomain, address, nowMillis, addedNotAfterMillis);
        }
        return r;
    }

    /** Adds (or replaces) entries; returns once they are durable. */
    public void add(List<SuppressionEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            log.append(SuppressionLog.OP_ADD, entries);
            for (SuppressionEntry e : entries) {
                senderDomainUsed |= e.scope() == SuppressionScope.SENDER_DOMAIN;
                authUsed |= e.scope() == SuppressionScope.AUTH;
                fromDomainUsed |= e.scope() == SuppressionScope.FROM_DOMAIN;
                index.put(high(e), low(e), e.timeMillis(), expirySeconds(e.expiresMillis()), e.reason());
            }
        }
    }

    /** Removes the entries with the keys of {@code keys} (address, scope, value); returns how many there were. */
    public int remove(List<SuppressionEntry> keys) throws IOException {
        if (keys.isEmpty()) {
            return 0;
        }
        synchronized (writeLock) {
            log.append(SuppressionLog.OP_REMOVE, keys);
            int removed = 0;
            for (SuppressionEntry e : keys) {
                removed += index.remove(high(e), low(e)) ? 1 : 0;
            }
            return removed;
        }
    }

    /** Entries held, expired ones included until a compaction drops them. */
    public int size() {
        return index.size();
    }

    /**
     * The entries in force at {@code nowMillis}, once each, in the order they were added, until {@code each} returns
     * false (for {@code list}); read from the log on its own channel, so changes go on meanwhile (one made during
     * the pass may or may not be seen).
     */
    public void forEach(long nowMillis, java.util.function.Predicate<SuppressionEntry> each) throws IOException {
        try {
            log.replay((op, scope, value, address, reason, source, time, expires, offset) -> {
                if (op == SuppressionLog.OP_ADD && (expires == 0 || nowMillis < expires)
                        && index.addedAt(KeyHash.high(scope, value, address), KeyHash.low(scope, value, address))
                        == time && !each.test(new SuppressionEntry(address.toString(), scope, value.toString(),
                                reason, source, time, expires))) {
                    throw Enough.INSTANCE;
                }
            });
        } catch (Enough stop) {
            // the caller has what it wanted
        }
    }

    /** Ends a {@link #forEach} early. */
    private static final class Enough extends RuntimeException {
        static final Enough INSTANCE = new Enough();

        private Enough() {
            super(null, null, false, false);
        }
    }

    /**
     * Every entry in force in the log {@code file} at {@code nowMillis}, read-only, without the daemon (which may be
     * appending meanwhile): for {@code sluice suppress export}. Two passes over the file; memory as the daemon's
     * index. Returns how many.
     */
    public static long export(Path file, long nowMillis, Consumer<SuppressionEntry> each) throws IOException {
        SuppressionIndex index = new SuppressionIndex(1024);
        long[] key = new long[2];
        SuppressionLog.replayFile(file, (op, scope, value, address, reason, source, time, expires, offset) ->
                replayInto(index, key, op, scope, value, address, reason, time, expires));
        long[] n = {0};
        SuppressionLog.replayFile(file, (op, scope, value, address, reason, source, time, expires, offset) -> {
            if (op == SuppressionLog.OP_ADD && (expires == 0 || nowMillis < expires)
                    && index.addedAt(KeyHash.high(scope, value, address), KeyHash.low(scope, value, address))
                    == time) {
                n[0]++;
                each.accept(new SuppressionEntry(address.toString(), scope, value.toString(), reason, source, time,
                        expires));
            }
        });
        return n[0];
    }

    /** Rewrites the log with the entries in force only; returns how many. */
    public long compact(long nowMillis) throws IOException {
        synchronized (writeLock) {
            return log.compact((scope, value, address, time, expires) -> (expires == 0 || nowMillis < expires)
                    && index.addedAt(KeyHash.high(scope, value, address), KeyHash.low(scope, value, address))
                    == time);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            log.close();
        }
    }

    private static long high(SuppressionEntry e) {
        return KeyHash.high(e.scope(), e.scopeValue(), e.address());
    }

    private static long low(SuppressionEntry e) {
        return KeyHash.low(e.scope(), e.scopeValue(), e.address());
    }

    private static long expirySeconds(long expiresMillis) {
        return expiresMillis == 0 ? 0 : Math.min(0xFFFF_FFFFL, Math.max(1, (expiresMillis + 999) / 1000));
    }
}
