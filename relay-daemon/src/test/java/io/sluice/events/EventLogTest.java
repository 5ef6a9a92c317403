package io.sluice.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.EventsSettings;
import io.sluice.config.JournalSettings;
import io.sluice.journal.EventStream;
import io.sluice.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log end to end: publish, events/ stream, JSON-lines file with rotation, resume after restart. */
class EventLogTest {

    @TempDir
    Path dir;

    private Journal openJournal() throws Exception {
        return Journal.open(new JournalSettings(dir.resolve("journal"), JournalSettings.SyncPolicy.NONE, 0,
                Duration.ofMinutes(1)), 1 << 20);
    }

    private static LifecycleEvent deferred(int n) {
        return LifecycleEvent.delivery(EventType.DEFERRED, 1_790_000_000_000L + n, String.format("%016x", n),
                "user" + n + "@dest.test", "mx1.dest.test", "mx1.dest.test", "127.0.0.5", 451, "4.7.1",
                "451 4.7.1 \"try\" later\r\nnow", 2, 123);
    }

    private List<String> allLines(Path log) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            Path rotated = log.resolveSibling(log.getFileName() + "." + i);
            if (Files.exists(rotated)) {
                lines.addAll(Files.readAllLines(rotated));
            }
        }
        lines.addAll(Files.readAllLines(log));
        return lines;
    }

    @Test
    void shouldWriteEveryEventAsOneJsonLineAndRotate() throws Exception {
        Path log = dir.resolve("events").resolve("events.jsonl");
        EventsSettings settings = new EventsSettings(log, 64 * 1024, 10, 1L << 30);
        try (Journal journal = openJournal()) {
            try (EventLog events = EventLog.start(EventStream.of(journal), settings)) {
                for (int n = 0; n < 1500; n++) {
                    assertThat(events.publish(deferred(n))).isTrue();
                }
            }
        }
        List<String> lines = allLines(log);
        assertThat(lines).hasSize(1500);
        assertThat(lines.get(0)).isEqualTo("{\"type\":\"deferred\",\"time\":\"2026-09-21T14:13:20Z\","
                + "\"id\":\"0000000000000000\",\"recipient\":\"user0@dest.test\",\"site\":\"mx1.dest.test\","
                + "\"mx\":\"mx1.dest.test\",\"source\":\"127.0.0.5\",\"code\":451,\"status\":\"4.7.1\","
                + "\"text\":\"451 4.7.1 \\\"try\\\" later\\r\\nnow\",\"attempt\":2,\"latency_ms\":123}");
        assertThat(Files.exists(log.resolveSibling("events.jsonl.1"))).as("rotated").isTrue();
        assertThat(Files.size(log)).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void shouldWriteNonAsciiAndLongEventsAsUtf8AmongAsciiOnes() throws Exception {
        Path log = dir.resolve("events.jsonl");
        EventsSettings settings = new EventsSettings(log, 100L << 20, 3, 1L << 30);
        String longText = "x".repeat(5_000);
        try (Journal journal = openJournal(); EventLog events = EventLog.start(EventStream.of(journal), settings)) {
            events.publish(deferred(1));
            events.publish(LifecycleEvent.received(2, "00000000000000bb", "default", "127.0.0.1", null,
                    "absender@bücher.example", List.of("ünïcode@例え.jp"), 10));
            events.publish(LifecycleEvent.delivery(EventType.DEFERRED, 1_790_000_000_003L, "00000000000000cc",
                    "a@dest.test", "mx1.dest.test", "mx1.dest.test", "127.0.0.5", 451, "4.7.1", longText, 1, 5));
            events.publish(deferred(4));
        }
        List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("\"id\":\"0000000000000001\"");
        assertThat(lines.get(1)).contains("\"sender\":\"absender@bücher.example\"",
                "\"recipients\":[\"ünïcode@例え.jp\"]");
        assertThat(lines.get(2)).contains("\"text\":\"" + longText + "\"");
        assertThat(lines.get(3)).contains("\"id\":\"0000000000000004\"");
    }

    @Test
    void shouldKeepOnlyTheNewestRotatedFiles() throws Exception {
        Path log = dir.resolve("events.jsonl");
        try (Journal journal = openJournal();
                EventLog events = EventLog.start(EventStream.of(journal), new EventsSettings(log, 64 * 1024, 2, 1L << 30))) {
            for (int n = 0; n < 1500; n++) {
                events.publish(deferred(n));
            }
        }
        assertThat(Files.exists(log.resolveSibling("events.jsonl.2"))).isTrue();
        assertThat(Files.exists(log.resolveSibling("events.jsonl.3"))).as("only log_max_files kept").isFalse();
        List<String> kept = allLines(log);
        assertThat(kept.size()).isLessThan(1500);
        assertThat(kept.get(kept.size() - 1)).contains("\"id\":\"" + String.format("%016x", 1499) + "\"");
    }

    @Test
    void shouldContinueTheLogAfterRestartWithoutRepeating() throws Exception {
        Path log = dir.resolve("events.jsonl");
        EventsSettings settings = new EventsSettings(log, 100L << 20, 3, 1L << 30);
        try (Journal journal = openJournal(); EventLog events = EventLog.start(EventStream.of(journal), settings)) {
            events.publish(LifecycleEvent.received(1, "00000000000000aa", "default", "127.0.0.1", null, "",
                    List.of("a@dest.test"), 10));
        }
        try (Journal journal = openJournal(); EventLog events = EventLog.start(EventStream.of(journal), settings)) {
            events.publish(deferred(7));
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"type\":\"received\"", "\"sender\":\"\"", "\"recipients\":[\"a@dest.test\"]")
                .doesNotContain("\"auth\"");
        assertThat(lines.get(1)).contains("\"type\":\"deferred\"");
    }
}
