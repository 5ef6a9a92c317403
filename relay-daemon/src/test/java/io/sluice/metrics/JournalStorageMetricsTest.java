package io.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal storage series: absent until bound, read at each scrape, and left out when the source throws. */
class JournalStorageMetricsTest {
    private final SluiceMetrics metrics = new SluiceMetrics(false);

    private Map<String, PrometheusText.Family> scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static final class FakeStorage implements JournalStorage {
        long bodies = 3_000;
        boolean broken;

        @Override
        public long diskBytes(String queue) {
            if (broken) {
                throw new IllegalStateException("journal closed");
            }
            return switch (queue) {
                case "bodies" -> bodies;
                case "state" -> 200;
                default -> 10;
            };
        }

        @Override
        public long messagesRelocated() {
            return 4;
        }

        @Override
        public long bytesRelocated() {
            return 4_096;
        }

        @Override
        public long cyclesDeleted(String queue) {
            return queue.equals("bodies") ? 7 : 2;
        }

        @Override
        public long relocationFailures() {
            return 1;
        }
    }

    @Test
    void shouldLeaveTheFamiliesEmptyUntilBound() throws IOException {
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(f.get(JournalStorageMetrics.DISK_BYTES) == null
                || f.get(JournalStorageMetrics.DISK_BYTES).samples().isEmpty()).isTrue();
    }

    @Test
    void shouldReportDiskBytesPerQueueAndCompactionTotals() throws IOException {
        FakeStorage storage = new FakeStorage();
        metrics.journalStorage().bind(storage);
        Map<String, PrometheusText.Family> f = scrape();
        String disk = JournalStorageMetrics.DISK_BYTES;
        assertThat(PrometheusText.value(f, disk, disk, Map.of("queue", "bodies"))).isEqualTo(3_000);
        assertThat(PrometheusText.value(f, disk, disk, Map.of("queue", "state"))).isEqualTo(200);
        assertThat(PrometheusText.value(f, disk, disk, Map.of("queue", "events"))).isEqualTo(10);
        String deleted = JournalStorageMetrics.CYCLES_DELETED;
        assertThat(PrometheusText.value(f, deleted, deleted, Map.of("queue", "bodies"))).isEqualTo(7);
        assertThat(PrometheusText.value(f, deleted, deleted, Map.of("queue", "state"))).isEqualTo(2);
        String moved = JournalStorageMetrics.RELOCATED_MESSAGES;
        assertThat(PrometheusText.value(f, moved, moved, Map.of())).isEqualTo(4);
        String failures = JournalStorageMetrics.RELOCATION_FAILURES;
        assertThat(PrometheusText.value(f, failures, failures, Map.of())).isEqualTo(1);

        storage.bodies = 5_000;
        assertThat(PrometheusText.value(scrape(), disk, disk, Map.of("queue", "bodies"))).isEqualTo(5_000);
    }

    @Test
    void shouldLeaveDiskBytesOutWhenTheSourceThrows() throws IOException {
        FakeStorage storage = new FakeStorage();
        storage.broken = true;
        metrics.journalStorage().bind(storage);
        Map<String, PrometheusText.Family> f = scrape();
        PrometheusText.Family disk = f.get(JournalStorageMetrics.DISK_BYTES);
        assertThat(disk == null || disk.samples().isEmpty()).as("no partial family").isTrue();
        String moved = JournalStorageMetrics.RELOCATED_MESSAGES;
        assertThat(PrometheusText.value(f, moved, moved, Map.of())).as("other families unaffected").isEqualTo(4);
    }
}
