package io.sluice.metrics;

/**
 * A Space-Saving heavy-hitters sketch (Metwally, Agrawal, El Abbadi, "Efficient computation of frequent and top-k
 * elements in data streams", 2005) over string keys, with a fixed number of counters.
 *
 * <p>Role: tells {@link BoundedSiteLabels} which sites are busy enough to earn their own metric label, in bounded
 * memory whatever the number of distinct sites. Each of the {@code capacity} counters holds a key, its count and
 * the count it inherited when it took over the slot ({@code error}). An unknown key replaces the key with the
 * smallest count and inherits that count. Guarantees: {@code count - error} never exceeds the key's true count
 * (so {@link #offer}'s result is a safe lower bound), and every key seen more than {@code total / capacity} times
 * is being tracked.
 *
 * <p>Cost: {@link #offer} is one open-addressing lookup plus a sift in a binary min-heap of counters, O(log
 * capacity); nothing is allocated after construction. Keys are held by reference (at most {@code capacity}).
 *
 * <p>Threading: not thread-safe; the owner serialises calls.
 */
final class SpaceSaving {
    private static final int EMPTY = -1;

    private final String[] keys;
    private final long[] counts;
    private final long[] errors;
    /** heap[0, size) are the tracked slots as a min-heap by count; heap[size, capacity) are the free slots. */
    private final int[] heap;
    /** The heap position of each slot. */
    private final int[] position;
    /** Linear-probing index from key to slot; {@link #EMPTY} marks a free cell. At most half full. */
    private final int[] table;
    private final int mask;
    private int size;

    SpaceSaving(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        keys = new String[capacity];
        counts = new long[capacity];
        errors = new long[capacity];
        heap = new int[capacity];
        position = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            heap[i] = i;
            position[i] = i;
        }
        int cells = Integer.highestOneBit(capacity * 2 - 1) << 1;
        table = new int[cells];
        java.util.Arrays.fill(table, EMPTY);
        mask = cells - 1;
    }

    /** Counts one occurrence of {@code key}; returns its guaranteed count ({@code count - error}) afterwards. */
    long offer(String key) {
        int cell = cellOf(key);
        int slot;
        if (cell >= 0) {
            slot = table[cell];
            counts[slot]++;
            siftDown(position[slot]);
        } else if (size < heap.length) {
            slot = heap[size];
            keys[slot] = key;
            counts[slot] = 1;
            errors[slot] = 0;
            size++;
            siftUp(size - 1);
            insert(slot);
        } else {
            slot = heap[0];
            removeCell(cellOf(keys[slot]));
            long floor = counts[slot];
            keys[slot] = key;
            errors[slot] = floor;
            counts[slot] = floor + 1;
            siftDown(0);
            insert(slot);
        }
        return counts[slot] - errors[slot];
    }

    /** Stops tracking {@code key} (e.g. once it has its own label), freeing its counter. */
    void remove(String key) {
        int cell = cellOf(key);
        if (cell < 0) {
            return;
        }
        int slot = table[cell];
        removeCell(cell);
        keys[slot] = null;
        int p = position[slot];
        size--;
        swap(p, size);
        if (p < size) {
            siftDown(p);
            siftUp(p);
        }
    }

    /** The guaranteed count of {@code key}, 0 when it is not tracked. */
    long guaranteed(String key) {
        int cell = cellOf(key);
        return cell < 0 ? 0 : counts[table[cell]] - errors[table[cell]];
    }

    /** Keys tracked now. */
    int size() {
        return size;
    }

    private int cellOf(String key) {
        int i = home(key);
        while (table[i] != EMPTY) {
            if (keys[table[i]].equals(key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insert(int slot) {
        int i = home(keys[slot]);
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = slot;
    }

    /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
    private void removeCell(int hole) {
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (table[j] == EMPTY) {
                break;
            }
            int h = home(keys[table[j]]);
            // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (!stays) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = EMPTY;
    }

    private int home(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }

    private void siftUp(int p) {
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (counts[heap[parent]] <= counts[heap[p]]) {
                return;
            }
            swap(p, parent);
            p = parent;
        }
    }

    private void siftDown(int p) {
        while (true) {
            int left = 2 * p + 1;
            if (left >= size) {
                return;
            }
            int smaller = left + 1 < size && counts[heap[left + 1]] < counts[heap[left]] ? left + 1 : left;
            if (counts[heap[p]] <= counts[heap[smaller]]) {
                return;
            }
            swap(p, smaller);
            p = smaller;
        }
    }

    private void swap(int a, int b) {
        int sa = heap[a];
        int sb = heap[b];
        heap[a] = sb;
        heap[b] = sa;
        position[sb] = a;
        position[sa] = b;
    }
}
