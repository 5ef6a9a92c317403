package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.JournalSettings.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events/ stream: records in order, named readers resume, the size cap trims old cycles and readers notice. */
class EventStreamTest {

    @TempDir
    Path dir;

    private static void write(EventStream.Writer writer, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writer.append(bytes, 0, bytes.length);
    }

    private static List<String> readAll(EventStream.Reader reader) {
        List<String> out = new ArrayList<>();
        while (reader.next((b, o, l) -> out.add(new String(b, o, l, StandardCharsets.UTF_8)))) {
            // all available
        }
        return out;
    }

    @Test
    void shouldResumeNamedReaderAfterReopen() throws Exception {
        try (Journal journal = TestJournals.open(dir)) {
            EventStream stream = EventStream.of(journal);
            try (EventStream.Writer writer = stream.writer(); EventStream.Reader reader = stream.reader("log")) {
                write(writer, "{\"n\":1}");
                write(writer, "{\"n\":2}");
                assertThat(readAll(reader)).containsExactly("{\"n\":1}", "{\"n\":2}");
                write(writer, "{\"n\":3}");
            }
        }
        try (Journal journal = TestJournals.open(dir);
                EventStream.Reader reader = EventStream.of(journal).reader("log")) {
            assertThat(readAll(reader)).containsExactly("{\"n\":3}");
        }
    }

    @Test
    void shouldTrimOldestCyclesAndLetALaggingReaderContinue() throws Exception {
        SetTimeProvider time = new SetTimeProvider(1_790_000_000_000L * 1_000_000L);
        try (Journal journal = Journal.open(TestJournals.settings(dir, SyncPolicy.NONE), TestJournals.MAX_MESSAGE,
                TestRollCycles.TEST_SECONDLY, time)) {
            EventStream stream = EventStream.of(journal);
            try (EventStream.Writer writer = stream.writer(); EventStream.Reader reader = stream.reader("lagging")) {
                write(writer, "cycle0-a");
                assertThat(readAll(reader)).containsExactly("cycle0-a");
                write(writer, "cycle0-b");
                for (int cycle = 1; cycle <= 3; cycle++) {
                    time.advanceMillis(1000);
                    write(writer, "cycle" + cycle);
                }
                long before = stream.sizeBytes();
                int deleted = stream.trimTo(1);
                assertThat(deleted).as("all but the newest cycle file").isEqualTo(3);
                assertThat(stream.sizeBytes()).isLessThan(before);
                assertThat(readAll(reader)).as("continues at the oldest record left").containsExactly("cycle3");
                assertThat(reader.gaps()).isEqualTo(1);
                time.advanceMillis(1000);
                write(writer, "cycle4");
                assertThat(readAll(reader)).containsExactly("cycle4");
                assertThat(reader.gaps()).isEqualTo(1);
            }
        }
    }
}
