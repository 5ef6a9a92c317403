package io.sluice.routing;

import java.util.function.IntPredicate;

/**
 * Smooth weighted round robin (nginx's: each pick adds every eligible member's weight to its running score, takes
 * the highest score and subtracts the eligible total from it), used to spread a pool's mail over its sources: with
 * weights 1:1:2 the picks run a, c, b, c, a, c, b, c ... so no source gets a burst, and the shares match the weights
 * exactly over every cycle of their sum.
 *
 * <p>A member with weight 0 is never picked (a drained source); a member the caller's predicate refuses (suspended,
 * at its capacity) is skipped for this pick without losing its place: the others share its turn, and its score does
 * not grow while it is skipped, so it does not burst when it comes back. Allocation-free. Not thread-safe: one owner
 * (the scheduler thread); a reload builds a new instance.
 */
public final class WeightedRoundRobin {
    private final int[] weights;
    private final long[] scores;

    /** @param weights each member's weight, 0 to 1000 */
    public WeightedRoundRobin(int[] weights) {
        for (int w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("negative weight " + w);
            }
        }
        this.weights = weights.clone();
        this.scores = new long[weights.length];
    }

    public int size() {
        return weights.length;
    }

    public int weight(int member) {
        return weights[member];
    }

    /** The next member among those with a positive weight that {@code eligible} accepts, or -1 when there is none. */
    public int pick(IntPredicate eligible) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0 || !eligible.test(i)) {
                continue;
            }
            scores[i] += weights[i];
            total += weights[i];
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            scores[best] -= total;
        }
        return best;
    }
}
