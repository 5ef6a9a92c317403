package io.sluice.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BucketHistogramTest {

    private static HistogramSnapshot.HistogramDataPointSnapshot only(BucketHistogram h) {
        HistogramSnapshot snapshot = (HistogramSnapshot) h.collect();
        assertThat(snapshot.getDataPoints()).hasSize(1);
        return snapshot.getDataPoints().get(0);
    }

    @Test
    void shouldCountAValueOnABoundInThatBucket() {
        BucketHistogram h = new BucketHistogram("t_seconds", "test", null, new double[] {0.1, 1.0});
        BucketHistogram.Recorder r = h.labelValues();
        r.observe(0.1);
        r.observe(0.5);
        r.observe(1.0);
        r.observe(7.0);

        ClassicHistogramBuckets buckets = only(h).getClassicBuckets();
        assertThat(buckets.size()).isEqualTo(3);
        assertThat(buckets.getUpperBound(2)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(new long[] {buckets.getCount(0), buckets.getCount(1), buckets.getCount(2)})
                .containsExactly(1, 2, 1);
        assertThat(only(h).getCount()).isEqualTo(4);
        assertThat(only(h).getSum()).isEqualTo(8.6);
    }

    @Test
    void shouldIgnoreNaN() {
        BucketHistogram h = new BucketHistogram("t", "test", null, new double[] {1.0});
        h.labelValues().observe(Double.NaN);
        assertThat(only(h).getCount()).isZero();
        assertThat(only(h).getSum()).isZero();
    }

    @Test
    void shouldKeepOneRecorderPerLabelSet() {
        BucketHistogram h = new BucketHistogram("t", "test", null, new double[] {1.0}, "listener");
        assertThat(h.labelValues("a")).isSameAs(h.labelValues("a")).isNotSameAs(h.labelValues("b"));
        h.labelValues("a").observe(0.5);
        HistogramSnapshot snapshot = (HistogramSnapshot) h.collect();
        assertThat(snapshot.getDataPoints()).extracting(p -> p.getLabels())
                .containsExactlyInAnyOrder(Labels.of("listener", "a"), Labels.of("listener", "b"));
    }

    @Test
    void shouldRejectWrongLabelCountAndUnorderedBounds() {
        BucketHistogram h = new BucketHistogram("t", "test", null, new double[] {1.0}, "listener");
        assertThatThrownBy(h::labelValues).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t takes");
        assertThatThrownBy(() -> new BucketHistogram("t", "test", null, new double[] {1.0, 1.0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new BucketHistogram("t", "test", null,
                new double[] {1.0, Double.POSITIVE_INFINITY})).isInstanceOf(IllegalArgumentException.class);
    }
}
