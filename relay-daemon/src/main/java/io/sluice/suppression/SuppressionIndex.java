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
    private long[] high;
    private long[] low;
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
            if (size + 1 > (long) (high.length * MAX_LOAD)) {
                grow();
            }
            int mask = high.length - 1;
            int i = (int) mix(h, l) & mask;
            while (high[i] != 0 || low[i] != 0) {
                if (high[i] == h && low[i] == l) {
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
            int mask = high.length - 1;
            // backward-shift deletion: move later members of the run into the hole when their home allows it
            int hole = i;
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (high[j] == 0 && low[j] == 0) {
                    break;
                }
                int home = (int) mix(high[j], low[j]) & mask;
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    set(hole, high[j], low[j], addedMillis[j], Integer.toUnsignedLong(expirySeconds[j]),
                            BounceReason.ofCode(reasons[j]));
                    hole = j;
                }
            }
            high[hole] = 0;
            low[hole] = 0;
            size--;
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private BounceReason probe(long h, long l, long nowSeconds) {
        long[] hs = high;
        long[] ls = low;
        int[] expiries = expirySeconds;
        byte[] rs = reasons;
        int mask = hs.length - 1;
        if (ls.length != hs.length || expiries.length != hs.length || rs.length != hs.length) {
            return null; // a resize in between: the caller's validate fails and it reads again under the lock
        }
        int i = (int) mix(h, l) & mask;
        for (int steps = 0; steps <= mask; steps++) {
            long a = hs[i];
            long b = ls[i];
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
        int mask = high.length - 1;
        int i = (int) mix(h, l) & mask;
        while (high[i] != 0 || low[i] != 0) {
            if (high[i] == h && low[i] == l) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void set(int i, long h, long l, long addedMs, long expirySec, BounceReason reason) {
        high[i] = h;
        low[i] = l;
        addedMillis[i] = addedMs;
        expirySeconds[i] = (int) expirySec;
        reasons[i] = reason.code();
    }

    private void grow() {
        long[] oh = high;
        long[] ol = low;
        long[] oa = addedMillis;
        int[] oe = expirySeconds;
        byte[] or = reasons;
        allocate(oh.length * 2);
        int mask = high.length - 1;
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] != 0 || ol[j] != 0) {
                int i = (int) mix(oh[j], ol[j]) & mask;
                while (high[i] != 0 || low[i] != 0) {
                    i = (i + 1) & mask;
                }
                high[i] = oh[j];
                low[i] = ol[j];
                addedMillis[i] = oa[j];
                expirySeconds[i] = oe[j];
                reasons[i] = or[j];
            }
        }
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
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
