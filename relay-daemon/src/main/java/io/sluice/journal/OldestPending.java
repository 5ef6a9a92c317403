package io.sluice.journal;

/**
 * When the oldest pending message was received, for the {@code sluice_queue_oldest_pending_age_seconds} gauge,
 * without ever scanning the pending set.
 *
 * <p>Role and inputs: the {@link PendingSet} reports each message entering it ({@link #added}) and leaving it with
 * its last final recipient ({@link #removed}), with the message's received time. This class counts pending
 * messages per received-time bucket in a fixed ring of {@value #DEFAULT_BUCKETS} counters covering
 * [oldest bucket, newest bucket]; the oldest non-empty bucket's start is published in a volatile. Output:
 * {@link #oldestReceivedAtMillis()} and {@link #ageSeconds(long)}, readable from any thread (a scrape).
 *
 * <p>Resolution: buckets are 1 s wide. When the received times of pending mail span more buckets than the ring
 * holds (more than 18 h at 1 s), the width doubles (adjacent buckets merge) as often as needed: with a message
 * pending for 5 days (the default {@code delivery.max_age}) the width is 8 s. The width returns to 1 s when the set
 * empties. The published time is the start of the oldest bucket, so the age reads high by less than one width,
 * never low.
 *
 * <p>Cost: O(1) per add and remove; moving past empty buckets when the oldest bucket empties is amortised over the
 * buckets the ring advances (at most {@value #DEFAULT_BUCKETS} in one step); merging walks the ring once and
 * allocates a new one (rare: once per doubling of the span). No allocation per message, no boxed values; memory is
 * the ring (256 KiB), whatever the number of pending messages. The volatile is written only when the oldest bucket
 * changes.
 *
 * <p>Threading: {@link #added} and {@link #removed} belong to the pending set's owner thread; the two readers are
 * thread-safe. Failure modes: a removal that matches no counted message (which the pending set never sends) is
 * ignored rather than corrupting the counts.
 */
public final class OldestPending {
    /** Published when nothing is pending. */
    public static final long NONE = Long.MIN_VALUE;
    static final int DEFAULT_BUCKETS = 1 << 16;
    static final long FIRST_WIDTH_MILLIS = 1000;

    private int[] counts;
    private final int mask;
    private long widthMillis = FIRST_WIDTH_MILLIS;
    /** Bucket number (received time / width) of the oldest non-empty bucket; valid while total > 0. */
    private long low;
    /** Bucket number at or above the newest non-empty bucket (never lowered until the set empties). */
    private long high;
    private long total;
    private volatile long oldestMillis = NONE;

    OldestPending() {
        this(DEFAULT_BUCKETS);
    }

    /** @param buckets ring size, a power of two (tests use small rings to exercise merging) */
    OldestPending(int buckets) {
        if (buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two >= 2: " + buckets);
        }
        counts = new int[buckets];
        mask = buckets - 1;
    }

    /** Received time (epoch millis, rounded down to the bucket width) of the oldest pending message, or NONE. */
    public long oldestReceivedAtMillis() {
        return oldestMillis;
    }

    /** Whole seconds since the oldest pending message was received, 0 when none (or when its time is ahead). */
    public long ageSeconds(long nowMillis) {
        long oldest = oldestMillis;
        return oldest == NONE ? 0 : Math.max(0, nowMillis - oldest) / 1000;
    }

    /** Current bucket width in milliseconds (for tests). */
    long widthMillis() {
        return widthMillis;
    }

    /** A message received at {@code receivedAtMillis} became pending. */
    void added(long receivedAtMillis) {
        if (total == 0) {
            widthMillis = FIRST_WIDTH_MILLIS;
            low = Math.floorDiv(receivedAtMillis, widthMillis);
            high = low;
        } else {
            while (Math.max(high, bucket(receivedAtMillis)) - Math.min(low, bucket(receivedAtMillis)) > mask) {
                merge();
            }
        }
        long b = bucket(receivedAtMillis);
        counts[(int) (b & mask)]++;
        total++;
        high = Math.max(high, b);
        if (b < low || total == 1) {
            low = b;
            publish();
        }
    }

    /** A message received at {@code receivedAtMillis} left the pending set (its last recipient became final). */
    void removed(long receivedAtMillis) {
        long b = bucket(receivedAtMillis);
        int slot = (int) (b & mask);
        if (total == 0 || b < low || b > high || counts[slot] == 0) {
            return;
        }
        counts[slot]--;
        total--;
        if (total == 0) {
            publish();
        } else if (b == low && counts[slot] == 0) {
            while (counts[(int) (low & mask)] == 0) {
                low++;
            }
            publish();
        }
    }

    private long bucket(long receivedAtMillis) {
        return Math.floorDiv(receivedAtMillis, widthMillis);
    }

    /** Doubles the width: bucket b's count moves to floor(b / 2) (floorDiv composes, so later lookups agree). */
    private void merge() {
        int[] merged = new int[counts.length];
        for (long b = low; b <= high; b++) {
            int c = counts[(int) (b & mask)];
            if (c != 0) {
                merged[(int) (Math.floorDiv(b, 2) & mask)] += c;
            }
        }
        counts = merged;
        widthMillis *= 2;
        low = Math.floorDiv(low, 2);
        high = Math.floorDiv(high, 2);
    }

    private void publish() {
        oldestMillis = total == 0 ? NONE : low * widthMillis;
    }
}
