package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.events.TlsSession;
import io.sluice.metrics.PrometheusText;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.scheduler.TaskResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's adapters into the delivery metrics: the event tee and the per-task attempt timer. */
class DeliveryEventMetricsTest {
    private final SluiceMetrics metrics = new SluiceMetrics(false);
    private final List<LifecycleEvent> forwarded = new ArrayList<>();

    private Map<String, PrometheusText.Family> scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static LifecycleEvent event(EventType type, String site, long latencyMillis) {
        return LifecycleEvent.delivery(type, 1_000, "00000000000000ab", "a@b.test", site, null, null, 250, null,
                null, 1, latencyMillis);
    }

    private double deliveries(Map<String, PrometheusText.Family> f, String outcome) {
        return PrometheusText.value(f, SluiceMetrics.DELIVERIES, SluiceMetrics.DELIVERIES,
                Map.of("outcome", outcome, "site", "other"));
    }

    @Test
    void shouldCountEachDecisionAndForwardEveryEventEvenWhenTheLogDropsIt() throws Exception {
        DeliveryEventMetrics tee = new DeliveryEventMetrics(metrics.delivery(), e -> forwarded.add(e) && false);
        List<LifecycleEvent> events = List.of(
                LifecycleEvent.received(1_000, "00000000000000ab", "default", "127.0.0.1", null, "", List.of(), 10),
                event(EventType.ATTEMPT, "mx.b.test", 0),
                event(EventType.DELIVERED, "mx.b.test", 2_000),
                event(EventType.DEFERRED, "mx.b.test", 30),
                event(EventType.BOUNCED, null, 5),
                event(EventType.EXPIRED, "mx.b.test", 9),
                event(EventType.DELIVERED, "mx.b.test", -1));
        for (LifecycleEvent e : events) {
            assertThat(tee.publish(e)).as("the log's answer is passed back").isFalse();
        }

        assertThat(forwarded).containsExactlyElementsOf(events);
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(deliveries(f, "delivered")).isEqualTo(2);
        assertThat(deliveries(f, "deferred")).isEqualTo(1);
        assertThat(deliveries(f, "bounced")).isEqualTo(1);
        assertThat(deliveries(f, "expired")).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.DELIVERY_END_TO_END_SECONDS,
                SluiceMetrics.DELIVERY_END_TO_END_SECONDS + "_count", Map.of()))
                .as("only delivered events with a latency").isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.DELIVERY_END_TO_END_SECONDS,
                SluiceMetrics.DELIVERY_END_TO_END_SECONDS + "_sum", Map.of())).isEqualTo(2.0);
    }

    @Test
    void shouldCountDeliveriesByTheSessionsTlsState() throws Exception {
        DeliveryEventMetrics tee = new DeliveryEventMetrics(metrics.delivery(), e -> true);
        TlsSession encrypted = new TlsSession("TLSv1.3", "TLS_AES_128_GCM_SHA256", false);
        TlsSession verified = new TlsSession("TLSv1.3", "TLS_AES_256_GCM_SHA384", true);
        for (TlsSession tls : new TlsSession[] {TlsSession.NONE, encrypted, encrypted, verified, null}) {
            tee.publish(LifecycleEvent.delivery(EventType.DELIVERED, 1_000, "00000000000000ab", "a@b.test",
                    "mx.b.test", "mx.b.test", "default", 250, "2.0.0", "ok", 1, 5, tls));
        }
        tee.publish(LifecycleEvent.delivery(EventType.ATTEMPT, 1_000, "00000000000000ab", "a@b.test", "mx.b.test",
                "mx.b.test", "default", -1, null, null, 1, 0, verified));

        Map<String, PrometheusText.Family> f = scrape();
        for (String[] expected : new String[][] {{"none", "1"}, {"encrypted", "2"}, {"verified", "1"}}) {
            assertThat(PrometheusText.value(f, SluiceMetrics.DELIVERIES_TLS, SluiceMetrics.DELIVERIES_TLS,
                    Map.of("tls", expected[0]))).as(expected[0]).isEqualTo(Double.parseDouble(expected[1]));
        }
    }

    @Test
    void shouldObserveEachDispatchedTaskOnceWhenItsResultComesBack() throws Exception {
        AttemptTimer timer = new AttemptTimer(4, metrics.delivery());
        List<TaskResult> results = new ArrayList<>();
        var port = timer.timing(task -> task.taskId() != 3); // task 3 is refused
        var callback = timer.observing(results::add);

        for (long id = 1; id <= 3; id++) {
            port.dispatch(task(id));
        }
        Thread.sleep(2);
        callback.test(result(1));
        callback.test(result(1)); // a duplicate report is passed on but not timed twice
        callback.test(result(2));
        callback.test(result(99)); // never dispatched
        callback.test(result(1 + 1024)); // shares task 1's slot: not task 1's start

        assertThat(results).hasSize(5);
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(PrometheusText.value(f, SluiceMetrics.DELIVERY_ATTEMPT_SECONDS,
                SluiceMetrics.DELIVERY_ATTEMPT_SECONDS + "_count", Map.of())).isEqualTo(2);
        assertThat(PrometheusText.value(f, SluiceMetrics.DELIVERY_ATTEMPT_SECONDS,
                SluiceMetrics.DELIVERY_ATTEMPT_SECONDS + "_sum", Map.of())).isGreaterThanOrEqualTo(0.004);
    }

    private static DeliveryTask task(long id) {
        return new DeliveryTask(id, 1, 0, 0, "b.test", io.sluice.dns.SiteKey.of(List.of("mx.b.test")), List.of(),
                List.of("a@b.test"), new int[] {0},
                new int[] {1}, false);
    }

    private static TaskResult result(long id) {
        return new TaskResult(id, TaskResult.SiteSignal.CONNECTED, List.of());
    }
}
