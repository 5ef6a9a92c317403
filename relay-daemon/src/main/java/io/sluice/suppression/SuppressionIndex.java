package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.util.concurrent.locks.StampedLock;

/**
 * The suppression list in memory: an open-addressing hash table (linear probing, backward-shift deletion) of
 * 128-bit keys ({@link KeyHash}) with, per entry, the time it was added (epoch millis: it tells the live add record
 * of a key from older ones, and a recovered message's entries from later ones), its expiry (epoch seconds) and its
 * reason. No strings are kept: 29 bytes a slot, at most 60% full, so 10 million entries take 16.7 million slots,
 * 470 MiB of heap (the addresses stay in the log, {@link SuppressionLog}, for listing and export).
 *
 * <p>Threading: any number of readers (the scheduler, at intake) with one writer at a time (the caller serialises
 * writes: {@link SuppressionList}). A lookup is an optimistic read of the current {@link Table}, retried under the
 * read lock only if a write overlapped it; readers never block each other and allocate nothing. Growing builds the
 * bigger table beside the old one (readers go on using the old one) and swaps it in under a short write lock, so a
 * rehash of millions of entries never holds up a lookup; a failed allocation leaves the old table whole.
 */
final class SuppressionIndex {
    private static final int MIN_CAPACITY = 1 << 10;
    private static final int MAX_CAPACITY = 1 << 29;
    private static final double MAX_LOAD = 0.6;

    /** One generation of the table; arrays of one capacity, changed only under the write lock. */
    private static final class Table {
        /** Key halves interleaved (slot i: 2i high, 2i+1 low), so a probe reads one cache line, not two. */
        final long[] keys;
        final long[] addedMillis;
        final int[] expirySeconds; // 0 = never; unsigned: good until 2106
        final byte[] reasons;
        final int mask;
        int size;

        Table(int capacity) {
            keys = new long[2 * capacity];
            addedMillis = new long[capacity];
            expirySeconds = new int[capacity];
            reasons = new byte[capacity];
            mask = capacity - 1;
        }

        boolean occupied(int i) {
            return keys[2 * i] != 0 || keys[2 * i + 1] != 0;
        }

        int slotOf(long h, long l) {
            int i = (int) mix(h, l) & mask;
            for (int steps = 0; steps <= mask && occupied(i); steps++) {
                if (keys[2 * i] == h && keys[2 * i + 1] == l) {
                    return i;
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        void set(int i, long h, long l, long addedMs, int expirySec, byte reason) {
            keys[2 * i] = h;
            keys[2 * i + 1] = l;
            addedMillis[i] = addedMs;
            expirySeconds[i] = expirySec;
            reasons[i] = reason;
        }
    }

    private final StampedLock lock = new StampedLock();
    private volatile Table table;

    SuppressionIndex(int expected) {
        table = new Table(capacityFor(expected));
    }

    /** Entries held (expired ones included until removed). */
    int size() {
        return table.size;
    }

    /**
     * The reason of the entry for the key if it is there, in force at {@code nowSeconds} and added at or before
     * {@code addedNotAfterMillis}, else null. Allocation-free.
     */
    BounceReason find(long h, long l, long nowSeconds, long addedNotAfterMillis) {
        long stamp = lock.tryOptimisticRead();
        BounceReason found = probe(table, h, l, nowSeconds, addedNotAfterMillis);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                found = probe(table, h, l, nowSeconds, addedNotAfterMillis);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return found;
    }

    /** The added time (epoch millis) of the key's entry, or -1 when there is none. */
    long addedAt(long h, long l) {
        long stamp = lock.readLock();
        try {
            Table t = table;
            int slot = t.slotOf(h, l);
            return slot < 0 ? -1 : t.addedMillis[slot];
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Adds or replaces the key's entry. One writer at a time. */
    void put(long h, long l, long addedMs, long expirySec, BounceReason reason) {
        Table t = table;
        if (t.slotOf(h, l) < 0 && t.size + 1 > (long) ((t.mask + 1) * MAX_LOAD)) {
            Table bigger = grown(t); // beside the old one: lookups go on meanwhile
            long stamp = lock.writeLock();
            table = bigger;
            lock.unlockWrite(stamp);
            t = bigger;
        }
        long stamp = lock.writeLock();
        try {
            int i = (int) mix(h, l) & t.mask;
            while (t.occupied(i)) {
                if (t.keys[2 * i] == h && t.keys[2 * i + 1] == l) {
                    t.set(i, h, l, addedMs, (int) expirySec, reason.code());
                    return;
                }
                i = (i + 1) & t.mask;
            }
            t.set(i, h, l, addedMs, (int) expirySec, reason.code());
            t.size++;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes the key's entry; true when there was one. One writer at a time. */
    boolean remove(long h, long l) {
        long stamp = lock.writeLock();
        try {
            Table t = table;
            int i = t.slotOf(h, l);
            if (i < 0) {
                return false;
            }
            // backward-shift deletion: move later members of the run into the hole when their home allows it
            int hole = i;
            int j = i;
            while (true) {
                j = (j + 1) & t.mask;
                if (!t.occupied(j)) {
                    break;
                }
                int home = (int) mix(t.keys[2 * j], t.keys[2 * j + 1]) & t.mask;
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    t.set(hole, t.keys[2 * j], t.keys[2 * j + 1], t.addedMillis[j], t.expirySeconds[j],
                            t.reasons[j]);
                    hole = j;
                }
            }
            t.keys[2 * hole] = 0;
            t.keys[2 * hole + 1] = 0;
            t.size--;
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static BounceReason probe(Table t, long h, long l, long nowSeconds, long addedNotAfterMillis) {
        long[] ks = t.keys;
        int mask = t.mask;
        int i = (int) mix(h, l) & mask;
        for (int steps = 0; steps <= mask; steps++) {
            long a = ks[2 * i];
            long b = ks[2 * i + 1];
            if (a == 0 && b == 0) {
                return null;
            }
            if (a == h && b == l) {
                long expiry = Integer.toUnsignedLong(t.expirySeconds[i]);
                boolean inForce = (expiry == 0 || nowSeconds < expiry) && t.addedMillis[i] <= addedNotAfterMillis;
                return inForce ? BounceReason.ofCode(t.reasons[i]) : null;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** A table of twice the capacity holding {@code old}'s entries (which only the one writer changes). */
    private static Table grown(Table old) {
        if (old.mask + 1 >= MAX_CAPACITY) {
            throw new IllegalStateException("the suppression list is full: " + old.size + " entries");
        }
        Table t = new Table((old.mask + 1) * 2);
        for (int j = 0; j <= old.mask; j++) {
            if (old.occupied(j)) {
                int i = (int) mix(old.keys[2 * j], old.keys[2 * j + 1]) & t.mask;
                while (t.occupied(i)) {
                    i = (i + 1) & t.mask;
                }
                t.set(i, old.keys[2 * j], old.keys[2 * j + 1], old.addedMillis[j], old.expirySeconds[j],
                        old.reasons[j]);
            }
        }
        t.size = old.size;
        return t;
    }

    private static int capacityFor(int expected) {
        long needed = (long) Math.ceil(Math.max(expected, 1) / MAX_LOAD);
        long capacity = MIN_CAPACITY;
        while (capacity < needed) {
            capacity <<= 1;
        }
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("too many suppression entries: " + expected);
        }
        return (int) capacity;
    }

    private static long mix(long h, long l) {
        return h ^ Long.rotateLeft(l, 17);
    }
}
