package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.util.concurrent.locks.StampedLock;

/**
 * The suppression list in memory: an open-addressing hash table (linear probing, backward-shift deletion) of
 * 128-bit keys ({@link KeyHash}) with, per entry, the time it was added (epoch millis: it tells the live add record
 * of a key from older ones), its expiry (epoch seconds) and its reason. No strings are kept: 29 bytes a slot, at
 * most 60% full, so 10 million entries take 16.7 million slots, 490 MiB of heap (the addresses stay in the log,
 * {@link SuppressionLog}, for listing and export).
 *
 * <p>Threading: any number of readers (the ingress event loops at RCPT) with writers (admin, bounces, complaints)
 * through a {@link StampedLock}: a lookup is an optimistic read, retried under the read lock only if a write
 * overlapped it, so readers never block each other and allocate nothing.
 */
final class SuppressionIndex {
    private static final int MIN_CAPACITY = 1 << 10;
    private static final double MAX_LOAD = 0.6;

    private final StampedLock lock = new StampedLock();
    /** Key halves interleaved (slot i: 2i high, 2i+1 low), so a probe reads one cache line, not two. */
    private long[] keys;
    private long[] addedMillis;
    private int[] expirySeconds; // 0 = never; unsigned: good until 2106
    private byte[] reasons;
    private int size;

    SuppressionIndex(int expected) {
        allocate(capacityFor(expected));
    }

    /** Entries held (expired ones included until removed). */
    int size() {
        long stamp = lock.tryOptimisticRead();
        int n = size;
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                n = size;
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return n;
    }

    /**
     * The reason of the entry for the key if it is there and in force at {@code nowSeconds}, else null.
     * Allocation-free.
     */
    BounceReason find(long h, long l, long nowSeconds) {
        long stamp = lock.tryOptimisticRead();
        BounceReason found = probe(h, l, nowSeconds);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                found = probe(h, l, nowSeconds);
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
            int slot = slotOf(h, l);
            return slot < 0 ? -1 : addedMillis[slot];
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Adds or replaces the key's entry. */
    void put(long h, long l, long addedMs, long expirySec, BounceReason reason) {
        long stamp = lock.writeLock();
        try {
            if (size + 1 > (long) (capacity() * MAX_LOAD)) {
                grow();
            }
            int mask = capacity() - 1;
            int i = (int) mix(h, l) & mask;
            while (occupied(i)) {
                if (keys[2 * i] == h && keys[2 * i + 1] == l) {
                    set(i, h, l, addedMs, expirySec, reason);
                    return;
                }
                i = (i + 1) & mask;
            }
            set(i, h, l, addedMs, expirySec, reason);
            size++;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes the key's entry; true when there was one. */
    boolean remove(long h, long l) {
        long stamp = lock.writeLock();
        try {
            int i = slotOf(h, l);
            if (i < 0) {
                return false;
            }
            int mask = capacity() - 1;
            // backward-shift deletion: move later members of the run into the hole when their home allows it
            int hole = i;
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (!occupied(j)) {
                    break;
                }
                int home = (int) mix(keys[2 * j], keys[2 * j + 1]) & mask;
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    set(hole, keys[2 * j], keys[2 * j + 1], addedMillis[j], Integer.toUnsignedLong(expirySeconds[j]),
                            BounceReason.ofCode(reasons[j]));
                    hole = j;
                }
            }
            keys[2 * hole] = 0;
            keys[2 * hole + 1] = 0;
            size--;
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private BounceReason probe(long h, long l, long nowSeconds) {
        long[] ks = keys;
        int[] expiries = expirySeconds;
        byte[] rs = reasons;
        int mask = expiries.length - 1;
        if (ks.length != 2 * expiries.length || rs.length != expiries.length) {
            return null; // a resize in between: the caller's validate fails and it reads again under the lock
        }
        int i = (int) mix(h, l) & mask;
        for (int steps = 0; steps <= mask; steps++) {
            long a = ks[2 * i];
            long b = ks[2 * i + 1];
            if (a == 0 && b == 0) {
                return null;
            }
            if (a == h && b == l) {
                long expiry = Integer.toUnsignedLong(expiries[i]);
                return expiry == 0 || nowSeconds < expiry ? BounceReason.ofCode(rs[i]) : null;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private int slotOf(long h, long l) {
        int mask = capacity() - 1;
        int i = (int) mix(h, l) & mask;
        while (occupied(i)) {
            if (keys[2 * i] == h && keys[2 * i + 1] == l) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void set(int i, long h, long l, long addedMs, long expirySec, BounceReason reason) {
        keys[2 * i] = h;
        keys[2 * i + 1] = l;
        addedMillis[i] = addedMs;
        expirySeconds[i] = (int) expirySec;
        reasons[i] = reason.code();
    }

    private void grow() {
        long[] ok = keys;
        long[] oa = addedMillis;
        int[] oe = expirySeconds;
        byte[] or = reasons;
        int old = oe.length;
        allocate(old * 2);
        int mask = capacity() - 1;
        for (int j = 0; j < old; j++) {
            if (ok[2 * j] != 0 || ok[2 * j + 1] != 0) {
                int i = (int) mix(ok[2 * j], ok[2 * j + 1]) & mask;
                while (occupied(i)) {
                    i = (i + 1) & mask;
                }
                keys[2 * i] = ok[2 * j];
                keys[2 * i + 1] = ok[2 * j + 1];
                addedMillis[i] = oa[j];
                expirySeconds[i] = oe[j];
                reasons[i] = or[j];
            }
        }
    }

    private int capacity() {
        return expirySeconds.length;
    }

    private boolean occupied(int i) {
        return keys[2 * i] != 0 || keys[2 * i + 1] != 0;
    }

    private void allocate(int capacity) {
        keys = new long[2 * capacity];
        addedMillis = new long[capacity];
        expirySeconds = new int[capacity];
        reasons = new byte[capacity];
    }

    private static int capacityFor(int expected) {
        long needed = (long) Math.ceil(Math.max(expected, 1) / MAX_LOAD);
        long capacity = MIN_CAPACITY;
        while (capacity < needed) {
            capacity <<= 1;
        }
        if (capacity > (1 << 30)) {
            throw new IllegalArgumentException("too many suppression entries: " + expected);
        }
        return (int) capacity;
    }

    private static long mix(long h, long l) {
        return h ^ Long.rotateLeft(l, 17);
    }
}
