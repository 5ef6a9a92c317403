package io.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shares match the weights exactly per cycle, picks interleave, drained and refused members get nothing. */
class WeightedRoundRobinTest {

    private static int[] counts(WeightedRoundRobin rr, int picks, java.util.function.IntPredicate eligible) {
        int[] counts = new int[rr.size()];
        for (int i = 0; i < picks; i++) {
            int m = rr.pick(eligible);
            if (m >= 0) {
                counts[m]++;
            }
        }
        return counts;
    }

    @Test
    void shouldGiveEachMemberItsWeightPerCycleWithoutBursts() {
        WeightedRoundRobin rr = new WeightedRoundRobin(new int[] {1, 1, 2});
        List<Integer> firstCycle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            firstCycle.add(rr.pick(m -> true));
        }
        assertThat(firstCycle).as("the heavy member never twice in a row").containsExactly(2, 0, 1, 2);
        assertThat(counts(rr, 4000, m -> true)).containsExactly(1000, 1000, 2000);
    }

    @Test
    void shouldNeverPickADrainedMember() {
        WeightedRoundRobin rr = new WeightedRoundRobin(new int[] {0, 3, 1});
        assertThat(counts(rr, 400, m -> true)).containsExactly(0, 300, 100);
        assertThat(new WeightedRoundRobin(new int[] {0, 0}).pick(m -> true)).isEqualTo(-1);
    }

    @Test
    void shouldShareARefusedMembersTurnAndNotBurstWhenItReturns() {
        WeightedRoundRobin rr = new WeightedRoundRobin(new int[] {1, 1});
        assertThat(counts(rr, 100, m -> m == 1)).containsExactly(0, 100);
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            after.add(rr.pick(m -> true));
        }
        assertThat(after).as("alternates again at once").containsExactly(0, 1, 0, 1, 0, 1);
        assertThat(rr.pick(m -> false)).isEqualTo(-1);
    }

    @Test
    void shouldRefuseNegativeWeights() {
        assertThatThrownBy(() -> new WeightedRoundRobin(new int[] {1, -1})).isInstanceOf(IllegalArgumentException.class);
    }
}
