package io.sluice.journal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues message ids that are unique across restarts of one journal.
 *
 * <p>An id is {@code max(time floor at open, highest id recovered + 1)} plus a counter. The time floor is
 * {@code epochMillis << 20}: a restart a millisecond later starts 2^20 ids higher, so even ids issued but never
 * made durable before a crash (an ACCEPTED record with no QUEUED) are not reissued unless the previous run averaged
 * over a million ids per millisecond. Values stay positive until the year 2248.
 *
 * <p>Threading: {@link #next()} is lock-free and called from every Netty event loop; {@link #advancePast} is
 * called by recovery before serving.
 */
final class MessageIdSequence {
    static final int TIME_SHIFT = 20;

    private final AtomicLong last;

    MessageIdSequence(long nowMillis) {
        this.last = new AtomicLong(timeFloor(nowMillis) - 1);
    }

    static long timeFloor(long epochMillis) {
        return epochMillis << TIME_SHIFT;
    }

    long next() {
        return last.incrementAndGet();
    }

    /** The highest id issued so far (or the floor minus one when none was). */
    long lastIssued() {
        return last.get();
    }

    /** Makes every later id greater than {@code id}. */
    void advancePast(long id) {
        last.accumulateAndGet(id, Math::max);
    }
}
