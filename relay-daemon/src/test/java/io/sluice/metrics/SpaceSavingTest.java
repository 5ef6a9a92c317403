package io.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpaceSavingTest {

    @Test
    void shouldCountExactlyWhileEveryKeyFits() {
        SpaceSaving sketch = new SpaceSaving(4);
        for (int i = 0; i < 5; i++) {
            sketch.offer("a");
        }
        sketch.offer("b");
        assertThat(sketch.offer("a")).isEqualTo(6);
        assertThat(sketch.guaranteed("b")).isEqualTo(1);
        assertThat(sketch.guaranteed("c")).isZero();
        assertThat(sketch.size()).isEqualTo(2);
    }

    @Test
    void shouldReplaceTheSmallestCounterAndInheritItsCountAsError() {
        SpaceSaving sketch = new SpaceSaving(2);
        sketch.offer("a");
        sketch.offer("a");
        sketch.offer("b");
        // "c" takes b's counter (count 1): count 2, error 1, so only 1 is guaranteed.
        assertThat(sketch.offer("c")).isEqualTo(1);
        assertThat(sketch.guaranteed("b")).isZero();
        assertThat(sketch.guaranteed("a")).isEqualTo(2);
        assertThat(sketch.size()).isEqualTo(2);
    }

    @Test
    void shouldFreeTheCounterOfARemovedKey() {
        SpaceSaving sketch = new SpaceSaving(2);
        sketch.offer("a");
        sketch.offer("b");
        sketch.remove("a");
        sketch.remove("missing");
        assertThat(sketch.size()).isEqualTo(1);
        assertThat(sketch.offer("c")).as("a free counter: exact count").isEqualTo(1);
        assertThat(sketch.guaranteed("b")).isEqualTo(1);
    }

    /**
     * Random keys (with colliding hashes in a small table) against exact counts: guaranteed counts never exceed the
     * truth, every key seen more than total/capacity times is tracked, and nothing is lost from the index.
     */
    @Test
    void shouldKeepLowerBoundsAndFindHeavyKeysUnderRandomTraffic() {
        int capacity = 16;
        SpaceSaving sketch = new SpaceSaving(capacity);
        Map<String, Long> truth = new HashMap<>();
        Random random = new Random(42);
        long total = 0;
        for (int i = 0; i < 20_000; i++) {
            String key = random.nextInt(4) == 0 ? "heavy" + random.nextInt(3) : "k" + random.nextInt(2_000);
            long guaranteed = sketch.offer(key);
            long exact = truth.merge(key, 1L, Long::sum);
            total++;
            assertThat(guaranteed).isBetween(1L, exact);
            if (i % 997 == 0) {
                sketch.remove("k" + random.nextInt(2_000));
            }
        }
        assertThat(sketch.size()).isLessThanOrEqualTo(capacity);
        for (int h = 0; h < 3; h++) {
            long exact = truth.get("heavy" + h);
            assertThat(exact).isGreaterThan(total / capacity);
            assertThat(sketch.guaranteed("heavy" + h)).as("heavy" + h).isPositive().isLessThanOrEqualTo(exact);
        }
        for (Map.Entry<String, Long> e : truth.entrySet()) {
            assertThat(sketch.guaranteed(e.getKey())).isLessThanOrEqualTo(e.getValue());
        }
    }
}
