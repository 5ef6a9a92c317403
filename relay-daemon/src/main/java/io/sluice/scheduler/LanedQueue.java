package io.sluice.scheduler;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A ready queue with lanes: one FIFO ({@link BatchQueue}) per lane slot ({@link Batch#lane}, see {@link Lanes}),
 * and {@link #poll} takes lanes by weight, smooth weighted round robin among the lanes that have mail (nginx's: each
 * non-empty lane's score grows by its weight, the highest goes and pays the total). With transactional 4 and bulk 1,
 * four of every five batches come from the transactional lane while both have mail, and either gets every turn when
 * the other is empty: weighted, never strict priority, so no lane starves. One lane behaves exactly as a FIFO.
 *
 * <p>Counts are kept as it changes. {@link #addFirst} puts a batch back at the head of its own lane (a task handed
 * back, or a dispatch that could not go). Scheduler thread only; no allocation except when a new lane slot first
 * appears here.
 */
final class LanedQueue {
    private final Lanes lanes;
    private BatchQueue[] queues = new BatchQueue[1];
    private long[] scores = new long[1];
    private int batches;
    private long recipients;

    LanedQueue(Lanes lanes) {
        this.lanes = lanes;
    }

    void addLast(Batch b) {
        queue(b.lane).addLast(b);
        batches++;
        recipients += b.size;
    }

    void addFirst(Batch b) {
        queue(b.lane).addFirst(b);
        batches++;
        recipients += b.size;
    }

    /** The next batch by lane weight, or null when empty. */
    Batch poll() {
        int lane = nextLane();
        if (lane < 0) {
            return null;
        }
        Batch b = queues[lane].poll();
        batches--;
        recipients -= b.size;
        return b;
    }

    boolean isEmpty() {
        return batches == 0;
    }

    int batches() {
        return batches;
    }

    long recipients() {
        return recipients;
    }

    /** Every batch, lane by lane in queue order (operator views and sweeps only). */
    void forEach(Consumer<Batch> action) {
        for (BatchQueue q : queues) {
            if (q != null) {
                for (Batch b = q.head(); b != null; b = b.next) {
                    action.accept(b);
                }
            }
        }
    }

    /** Unlinks every batch {@code match} accepts, in order within each lane, handing each to {@code out}. */
    void detachIf(Predicate<Batch> match, Consumer<Batch> out) {
        for (BatchQueue q : queues) {
            if (q != null) {
                long before = q.recipients();
                int beforeBatches = q.batches();
                q.detachIf(match, out);
                batches -= beforeBatches - q.batches();
                recipients -= before - q.recipients();
            }
        }
    }

    /** Moves each lane's head to its tail (a queue that stands still, so expiry checks see every batch). */
    void rotate() {
        for (BatchQueue q : queues) {
            if (q != null && q.batches() > 1) {
                q.addLast(q.poll());
            }
        }
    }

    /** Lane slots this queue has had (some may be empty); for {@link #head} and {@link #pollLane}. */
    int laneSlots() {
        return queues.length;
    }

    /** The head of lane {@code lane}, or null when it is empty (expiry checks every lane's head). */
    Batch head(int lane) {
        BatchQueue q = queues[lane];
        return q == null ? null : q.head();
    }

    /** Takes the head of lane {@code lane} off without moving the scores; null when it is empty. */
    Batch pollLane(int lane) {
        BatchQueue q = queues[lane];
        Batch b = q == null ? null : q.poll();
        if (b != null) {
            batches--;
            recipients -= b.size;
        }
        return b;
    }

    /** One round: raises each non-empty lane's score, charges the winner the total; the lane, or -1. */
    private int nextLane() {
        int best = -1;
        long total = 0;
        for (int i = 0; i < queues.length; i++) {
            if (queues[i] == null || queues[i].isEmpty()) {
                continue;
            }
            scores[i] += lanes.weight(i);
            total += lanes.weight(i);
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            scores[best] -= total;
        }
        return best;
    }

    private BatchQueue queue(int lane) {
        if (lane >= queues.length) {
            queues = Arrays.copyOf(queues, Math.max(lane + 1, queues.length * 2));
            scores = Arrays.copyOf(scores, queues.length);
        }
        BatchQueue q = queues[lane];
        if (q == null) {
            q = new BatchQueue();
            queues[lane] = q;
        }
        return q;
    }
}
