package io.sluice.scheduler;

/**
 * The scheduler's live {@link DomainState}s by name, looked up straight from a recipient address: the domain part
 * (after the last {@code @}) is hashed and compared in place, lower-cased char by char, so a lookup allocates
 * nothing; only a new domain allocates its name and state. A chained hash table (intrusive chain through
 * {@link DomainState#hashNext}) that doubles when it passes a load factor of 0.75 and never shrinks.
 *
 * <p>A domain whose last batch is done is not forgotten at once: it waits on an idle list (oldest first) for
 * {@code idleMillis}, so a steady trickle to one domain keeps its state and its cached DNS answer instead of making
 * and resolving it again for every message. {@link #evictIdle} forgets the expired ones, a bounded number per call.
 *
 * <p>Domain names are compared after {@link Character#toLowerCase(char)} per char (exact for ASCII and A-labels;
 * for U-labels it is the simple case mapping, the same for every address, so one domain still gets one state).
 * Scheduler thread only.
 */
final class DomainTable {
    private final long idleMillis;
    private DomainState[] buckets = new DomainState[256];
    private int size;
    private DomainState idleHead;
    private DomainState idleTail;

    DomainTable(long idleMillis) {
        this.idleMillis = idleMillis;
    }

    /** The state of {@code address}'s domain, made (with no live batches) if there is none. */
    DomainState lookup(String address) {
        int from = address.lastIndexOf('@') + 1;
        int hash = hash(address, from);
        DomainState[] b = buckets;
        for (DomainState d = b[hash & (b.length - 1)]; d != null; d = d.hashNext) {
            if (d.hash == hash && matches(d.name, address, from)) {
                return d;
            }
        }
        DomainState d = new DomainState(lower(address, from), hash);
        if (++size > buckets.length - (buckets.length >> 2)) {
            grow();
        }
        int i = hash & (buckets.length - 1);
        d.hashNext = buckets[i];
        buckets[i] = d;
        return d;
    }

    /** The state of domain {@code name} (any case) if the table has one, else null; never makes one. */
    DomainState find(String name) {
        int hash = hash(name, 0);
        for (DomainState d = buckets[hash & (buckets.length - 1)]; d != null; d = d.hashNext) {
            if (d.hash == hash && matches(d.name, name, 0)) {
                return d;
            }
        }
        return null;
    }

    /** {@code d} has no live batch and no lookup: it idles from {@code nowMillis}, oldest first. */
    void idle(DomainState d, long nowMillis) {
        d.idle = true;
        d.idleSinceMillis = nowMillis;
        d.idlePrev = idleTail;
        d.idleNext = null;
        if (idleTail == null) {
            idleHead = d;
        } else {
            idleTail.idleNext = d;
        }
        idleTail = d;
    }

    /** {@code d} has work again (its first live batch): off the idle list. */
    void busy(DomainState d) {
        if (!d.idle) {
            return;
        }
        d.idle = false;
        if (d.idlePrev == null) {
            idleHead = d.idleNext;
        } else {
            d.idlePrev.idleNext = d.idleNext;
        }
        if (d.idleNext == null) {
            idleTail = d.idlePrev;
        } else {
            d.idleNext.idlePrev = d.idlePrev;
        }
        d.idlePrev = null;
        d.idleNext = null;
    }

    /** Forgets up to {@code limit} domains idle for {@code idleMillis}; returns how many. */
    int evictIdle(long nowMillis, int limit) {
        int n = 0;
        DomainState d;
        while (n < limit && (d = idleHead) != null && nowMillis - d.idleSinceMillis >= idleMillis) {
            busy(d);
            remove(d);
            n++;
        }
        return n;
    }

    /** Forgets {@code d} (no live batch, no lookup in flight or wanted, not idle-listed). */
    private void remove(DomainState d) {
        int i = d.hash & (buckets.length - 1);
        DomainState prev = null;
        for (DomainState c = buckets[i]; c != null; prev = c, c = c.hashNext) {
            if (c == d) {
                if (prev == null) {
                    buckets[i] = c.hashNext;
                } else {
                    prev.hashNext = c.hashNext;
                }
                c.hashNext = null;
                size--;
                return;
            }
        }
    }

    /** Visits every domain in the table (live or idle), in no particular order. */
    void forEach(java.util.function.Consumer<DomainState> visitor) {
        for (DomainState head : buckets) {
            for (DomainState d = head; d != null; d = d.hashNext) {
                visitor.accept(d);
            }
        }
    }

    int size() {
        return size;
    }

    /** The domain of {@code address}, lower-cased as this table compares it. */
    static String domainOf(String address) {
        return lower(address, address.lastIndexOf('@') + 1);
    }

    private static String lower(String address, int from) {
        char[] out = new char[address.length() - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = Character.toLowerCase(address.charAt(from + i));
        }
        return new String(out);
    }

    private static int hash(String address, int from) {
        int h = 0;
        for (int i = from; i < address.length(); i++) {
            h = 31 * h + Character.toLowerCase(address.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    private static boolean matches(String name, String address, int from) {
        if (name.length() != address.length() - from) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != Character.toLowerCase(address.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        DomainState[] old = buckets;
        DomainState[] grown = new DomainState[old.length << 1];
        for (DomainState head : old) {
            DomainState d = head;
            while (d != null) {
                DomainState next = d.hashNext;
                int i = d.hash & (grown.length - 1);
                d.hashNext = grown[i];
                grown[i] = d;
                d = next;
            }
        }
        buckets = grown;
    }
}
