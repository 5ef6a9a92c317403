package io.sluice.journal;

import io.sluice.model.BounceReason;
import io.sluice.util.JsonText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline dump: exact JSON lines, per-recipient states, escaping, and read-only operation on a live journal. */
class JournalDumpTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintOneJsonLinePerMessageWithStateDigestAndEscapes() throws Exception {
        byte[] body1 = "Subject: one\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body3 = new byte[] {0, 1, 2, (byte) 0xFF};
        AtomicInteger outcomesHeard = new AtomicInteger();
        TestJournals.Recorder recorder = new TestJournals.Recorder(3);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().outcomeListener((id, r, o, rec) -> outcomesHeard.incrementAndGet())
                     .deferredListener((id, r, a, d, rec) -> outcomesHeard.incrementAndGet()))) {
            writer.offer(new AcceptedMessage(0x11, 1_790_000_000_123L, "main", "127.0.0.1", "app.example", null,
                "a@example.com", List.of("x@example.org", "y@example.org"), ByteBuffer.wrap(body1)), recorder);
            writer.offer(TestJournals.message(0x22, "two"), recorder);
            writer.offer(new AcceptedMessage(0x33, 1_790_000_000_000L, "sub\"mission", "::1", "he\\lo\n\u0001",
                "üser", "", "", List.of("a@x.org", "b@x.org", "c@x.org"), ByteBuffer.wrap(body3), true), recorder);
            recorder.await();
            writer.offerOutcome(0x11, 0, OutcomeCode.DELIVERED, 1);
            writer.offerDeferred(0x11, 1, 1, 1_790_000_060_000L, 0, null);
            writer.offerDeferred(0x11, 1, 2, 1_790_000_300_000L, 451, "4.7.1 \"later\"", null,
                    BounceReason.RATE_LIMITED);
            writer.offerDeferred(0x22, 0, 1, 1_790_000_060_000L, 421, "busy");
            writer.offerOutcome(0x22, 0, OutcomeCode.DELIVERED, 1);
            writer.offerOutcome(0x33, 0, OutcomeCode.BOUNCED, BounceReason.USER_UNKNOWN, 1);
            writer.offerOutcome(0x33, 1, OutcomeCode.EXPIRED, 1);
            writer.offerOutcome(0x33, 2, OutcomeCode.SUPPRESSED, 1);
            await().until(() -> outcomesHeard.get() == 8);

            // The daemon is still running: the dump must see everything and change nothing.
            Map<String, String> filesBefore = listing(dir);
            List<String> lines = dump(dir);
            assertThat(listing(dir)).isEqualTo(filesBefore);

            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("{\"id\":\"0000000000000011\",\"bodiesIndex\":\"0x"
                + Long.toHexString(recorder.appended.get(0x11L)) + "\",\"time\":\"2026-09-21T14:13:20.123Z\""
                + ",\"listener\":\"main\",\"client\":\"127.0.0.1\",\"helo\":\"app.example\",\"auth\":null"
                + ",\"sender\":\"a@example.com\",\"tags\":{},\"recipients\":[\"x@example.org\",\"y@example.org\"]"
                + ",\"size\":" + body1.length + ",\"sha256\":\"" + TestJournals.sha256(body1) + "\""
                + ",\"state\":\"mixed\",\"recipientStates\":[\"delivered\",\"deferred\"]"
                + ",\"reasons\":[\"delivered\",null]"
                + ",\"retries\":[null,{\"attempts\":2,\"nextDue\":\"2026-09-21T14:18:20Z\",\"replyCode\":451"
                + ",\"reply\":\"4.7.1 \\\"later\\\"\",\"reason\":\"ratelimited\"}]}");
            assertThat(lines.get(1)).contains("\"id\":\"0000000000000022\"", "\"state\":\"delivered\"",
                "\"recipientStates\":[\"delivered\"],\"reasons\":[\"delivered\"]}", "\"size\":3").doesNotContain("retries");
            assertThat(lines.get(2)).contains("\"listener\":\"sub\\\"mission\"", "\"helo\":\"he\\\\lo\\n\\u0001\"",
                "\"auth\":\"üser\"", "\"sender\":\"\",\"smtputf8\":true,", "\"size\":4",
                "\"sha256\":\"" + TestJournals.sha256(body3) + "\"", "\"state\":\"mixed\"",
                "\"recipientStates\":[\"bounced\",\"expired\",\"suppressed\"]",
                "\"reasons\":[\"userunknown\",\"expired\",\"suppressed\"]");
        }
    }

    @Test
    void shouldMarkABodyWithoutQueuedRecordAsUnqueued() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender bodies = journal.bodies().createAppender()) {
            AcceptedMessage m = TestJournals.message(0x44, List.of("a@x.org", "b@x.org"), new byte[] {'x'});
            byte[] block = RecipientBlock.encode(m.recipients());
            AcceptedEncoder encoder = new AcceptedEncoder();
            encoder.measure(m, block, journal.maxAcceptedRecordBytes());
            try (DocumentContext dc = bodies.writingDocument()) {
                encoder.write(dc.wire().bytes(), m, block);
            }
        }
        List<String> lines = dump(dir);
        assertThat(lines).singleElement().asString()
            .contains("\"state\":\"unqueued\",\"recipientStates\":[\"unqueued\",\"unqueued\"]");
    }

    @Test
    void shouldPrintARelocatedMessageOnceFromItsCurrentPlace() throws Exception {
        AcceptedMessage m = TestJournals.message(0x55, List.of("a@x.org"), new byte[] {'y'});
        long current;
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender bodies = journal.bodies().createAppender();
             ExcerptAppender state = journal.state().createAppender()) {
            byte[] block = RecipientBlock.encode(m.recipients());
            AcceptedEncoder encoder = new AcceptedEncoder();
            encoder.measure(m, block, journal.maxAcceptedRecordBytes());
            long[] copies = new long[3];
            for (int i = 0; i < 3; i++) { // the original, a copy a crash left without RELOCATED, the live copy
                try (DocumentContext dc = bodies.writingDocument()) {
                    encoder.write(dc.wire().bytes(), m, block);
                }
                copies[i] = bodies.lastIndexAppended();
            }
            current = copies[2];
            try (DocumentContext dc = state.writingDocument()) {
                StateEncoder.writeQueued(dc.wire().bytes(), m.id(), copies[0], m.receivedAtMillis(), 1, block,
                    m.routeInputs());
            }
            try (DocumentContext dc = state.writingDocument()) {
                StateEncoder.writeRelocated(dc.wire().bytes(), m.id(), current, copies[0]);
            }
        }
        List<String> lines = dump(dir);
        assertThat(lines).singleElement().asString()
            .contains("\"bodiesIndex\":\"0x" + Long.toHexString(current) + "\"")
            .contains("\"recipientStates\":[\"pending\"]");
    }

    @Test
    void shouldPrintNothingForAnEmptyJournalAndRefuseAMissingOne() throws Exception {
        TestJournals.open(dir).close();
        assertThat(dump(dir)).isEmpty();
        assertThatThrownBy(() -> dump(dir.resolve("nope"))).isInstanceOf(IOException.class)
            .hasMessageContaining("no journal");
    }

    @Test
    void shouldEscapeEveryControlCharacterInJson() {
        StringBuilder sb = new StringBuilder();
        JsonText.string(sb, "a\"b\\c\n\r\t\b\f\u0000\u001f\u007f\u2028é😀");
        assertThat(sb.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028é😀\"");
        assertThat(JsonText.string(new StringBuilder(), null).toString()).isEqualTo("null");
    }

    private static List<String> dump(Path journalDir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            long count = JournalDump.dump(journalDir, out);
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize((int) count);
            return lines;
        }
    }

    /** Every file under the journal with its size and modification time. */
    private static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                out.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }
}
