package io.sluice.scheduler;

/**
 * The scheduler's live {@link DomainState}s by name, looked up straight from a recipient address: the domain part
 * (after the last {@code @}) is hashed and compared in place, lower-cased char by char, so a lookup allocates
 * nothing; only a new domain allocates its name and state. A chained hash table (intrusive chain through
 * {@link DomainState#hashNext}) that doubles when it passes a load factor of 0.75 and never shrinks.
 *
 * <p>Domain names are compared after {@link Character#toLowerCase(char)} per char (exact for ASCII and A-labels;
 * for U-labels it is the simple case mapping, the same for every address, so one domain still gets one state).
 * Scheduler thread only.
 */
final class DomainTable {
    private DomainState[] buckets = new DomainState[256];
    private int size;

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

    /** Forgets {@code d} (its last batch is done and no resolution is in flight or wanted). */
    void remove(DomainState d) {
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
