package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's DEFERRED path and its queued hook on a real journal: deferrals are durable, the last one wins, ones
 * for recipients that are not pending are dropped, checkpoints carry the schedule across a restart, arguments are
 * checked, reply texts are capped at a character boundary, and the queued listener runs after the sync and before
 * the append callback.
 */
class DeferredWriterTest {
    private static final long DUE_1 = 1_790_000_060_000L;
    private static final long DUE_2 = 1_790_000_300_000L;

    @TempDir
    Path dir;

    @Test
    void shouldRecordDeferralsAndKeepTheRetryScheduleAcrossARestart() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        DeferredListener listener = (id, rcpt, attempts, due, recorded) ->
            heard.add(id + "/" + rcpt + "/" + attempts + "/" + due + "/" + recorded);
        OutcomeListener outcomes = (id, rcpt, outcome, recorded) -> heard.add(id + "/" + rcpt + "/" + outcome.label());
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().deferredListener(listener).outcomeListener(outcomes))) {
            writer.offer(TestJournals.message(5, List.of("a@x.org", "b@x.org"), new byte[] {1}), recorder);
            recorder.await();
            assertThat(writer.offerDeferred(5, 0, 1, DUE_1, 451, "4.7.1 greylisted")).isTrue();
            assertThat(writer.offerDeferred(5, 0, 2, DUE_2, 0, null)).isTrue();
            assertThat(writer.offerDeferred(5, 1, 1, DUE_1, 421, "busy")).isTrue();
            assertThat(writer.offerOutcome(5, 1, OutcomeCode.DELIVERED, 2)).isTrue();
            assertThat(writer.offerDeferred(5, 1, 2, DUE_2, 421, "too late")).isTrue();
            assertThat(writer.offerDeferred(99, 0, 1, DUE_1, 451, "unknown message")).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 6);
        }
        assertThat(heard).containsExactly("5/0/1/" + DUE_1 + "/true", "5/0/2/" + DUE_2 + "/true",
            "5/1/1/" + DUE_1 + "/true", "5/1/delivered", "5/1/2/" + DUE_2 + "/false", "99/0/1/" + DUE_1 + "/false");
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.recordsReplayed()).as("the close checkpoint carries the schedule").isZero();
            PendingMessage m = recovered.pending().get(5);
            assertThat(m.isDeferred(0)).isTrue();
            assertThat(m.attempts(0)).isEqualTo(2);
            assertThat(m.nextDueMillis(0)).isEqualTo(DUE_2);
            assertThat(m.isPending(1)).isFalse();
            assertThat(m.isDeferred(1)).isFalse();
            RecoveryResult full = Recovery.replayAll(journal);
            assertThat(TestJournals.snapshot(full.pending())).isEqualTo(TestJournals.snapshot(recovered.pending()));
        }
    }

    @Test
    void shouldRefuseDeferralsWithImpossibleArguments() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions())) {
            assertThatThrownBy(() -> writer.offerDeferred(1, 0, 0, DUE_1, 451, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
            assertThatThrownBy(() -> writer.offerDeferred(1, 0, 1, DUE_1, 1000, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reply code");
            assertThatThrownBy(() -> writer.offerDeferred(1, -1, 1, DUE_1, 451, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recipient index");
            writer.close();
            assertThat(writer.offerDeferred(1, 0, 1, DUE_1, 451, "x")).as("closed").isFalse();
        }
    }

    @Test
    void shouldCapTheReplyTextAtACharacterBoundaryEvenInTheSmallestBuffer() throws Exception {
        String longReply = "x" + "é".repeat(300);
        String longHost = "m".repeat(300);
        List<Boolean> heard = new CopyOnWriteArrayList<>();
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                 .outcomeBufferBytes(WriterOptions.MIN_OUTCOME_BUFFER_BYTES)
                 .deferredListener((id, rcpt, attempts, due, recorded) -> heard.add(recorded)))) {
            writer.offer(TestJournals.message(7, "m"), recorder);
            recorder.await();
            assertThat(writer.offerDeferred(7, 0, 1, DUE_1, 452, longReply, longHost)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 1);
            assertThat(heard).containsExactly(true);
        }
        try (Journal journal = TestJournals.open(dir);
             net.openhft.chronicle.queue.ExcerptTailer tailer = journal.state().createTailer()) {
            String reply = null;
            String host = null;
            while (reply == null) {
                try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument()) {
                    assertThat(dc.isPresent()).as("a DEFERRED record").isTrue();
                    net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
                    long s = b.readPosition();
                    if (b.readUnsignedByte(s) == RecordHeader.TYPE_DEFERRED) {
                        assertThat(b.readUnsignedShort(s + DeferredDescriptor.REPLY_CODE_OFFSET)).isEqualTo(452);
                        assertThat(b.readInt(s + DeferredDescriptor.ATTEMPTS_OFFSET)).isEqualTo(1);
                        int n = b.readUnsignedShort(s + DeferredDescriptor.REPLY_TEXT_LENGTH_OFFSET);
                        int mx = b.readUnsignedByte(s + DeferredDescriptor.REPLY_TEXT_OFFSET + n);
                        assertThat(b.readRemaining()).as("header, text, MX host and the reason byte")
                                .isEqualTo(DeferredDescriptor.HEADER_LENGTH + n + 1 + mx + 1);
                        byte[] text = new byte[n];
                        b.read(s + DeferredDescriptor.REPLY_TEXT_OFFSET, text, 0, n);
                        reply = new String(text, StandardCharsets.UTF_8);
                        host = DeferredDescriptor.mxHost(b, s, RecordHeader.DEFERRED_VERSION);
                    }
                }
            }
            assertThat(reply).isEqualTo("x" + "é".repeat(255)); // 511 bytes: one more é would make 513
            assertThat(host).isEqualTo("m".repeat(DeferredDescriptor.MAX_MX_HOST_BYTES));
        }
    }

    @Test
    void shouldReadTheLastReplyOfVersionOneAndTwoRecords() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             net.openhft.chronicle.queue.ExcerptAppender appender = journal.state().createAppender()) {
            byte[] text = "4.2.0 busy".getBytes(StandardCharsets.US_ASCII);
            try (net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument()) {
                net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
                b.writeUnsignedByte(RecordHeader.TYPE_DEFERRED);
                b.writeUnsignedByte(1); // as version 1 wrote it: no MX host after the text
                b.writeUnsignedShort(0);
                b.writeInt(1);
                b.writeLong(9);
                b.writeLong(DUE_1);
                b.writeUnsignedShort(451);
                b.writeUnsignedShort(text.length);
                b.write(text);
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument()) {
                StateEncoder.writeDeferred(dc.wire().bytes(), 9, 1, 2, DUE_1, 421, "4.3.2 closing", "mx2.x.test",
                        0);
            }
            Map<Integer, DeferredReplyLookup.LastReply> found = DeferredReplyLookup.find(journal, 9, 2, 100);
            assertThat(found).containsEntry(0, new DeferredReplyLookup.LastReply(451, "4.2.0 busy", null))
                    .containsEntry(1, new DeferredReplyLookup.LastReply(421, "4.3.2 closing", "mx2.x.test"));
            assertThat(DeferredReplyLookup.findMany(journal, Map.of(9L, java.util.Set.of(1), 8L, java.util.Set.of(0)),
                    100)).isEqualTo(Map.of(9L, Map.of(1, new DeferredReplyLookup.LastReply(421, "4.3.2 closing",
                    "mx2.x.test"))));
        }
    }

    @Test
    void shouldEncodeCappedUtf8LikeTheJdkAndNeverSplitACharacter() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        for (String s : List.of("", "plain", "üñí", "日本語", "a😀b", "\uD800x")) {
            int n = CappedUtf8.write(s, 64, buffer, 0);
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertThat(n).as(s).isEqualTo(expected.length).isEqualTo(CappedUtf8.length(s, 64));
            byte[] got = new byte[n];
            buffer.getBytes(0, got);
            assertThat(got).as(s).isEqualTo(expected);
        }
        assertThat(CappedUtf8.length("a😀b", 4)).isEqualTo(1);
        assertThat(CappedUtf8.length("a😀b", 5)).isEqualTo(5);
        assertThat(CappedUtf8.length("日本", 5)).isEqualTo(3);
        assertThat(CappedUtf8.length(null, 5)).isZero();
    }

    @Test
    void shouldTellTheQueuedListenerAfterTheSyncAndRightBeforeTheCallback() throws Exception {
        JournalWriterTest.GatedSyncer syncer = new JournalWriterTest.GatedSyncer();
        List<String> events = new CopyOnWriteArrayList<>();
        QueuedListener queued = (id, bodiesIndex, receivedAt, recipients) -> events.add("queued " + id + " 0x"
            + Long.toHexString(bodiesIndex) + " " + receivedAt + " " + recipients + " syncs=" + syncer.returned.get()
            + " " + Thread.currentThread().getName());
        AppendCallback callback = new AppendCallback() {
            @Override
            public void appended(AcceptedMessage m, long bodiesIndex) {
                events.add("appended " + m.id() + " 0x" + Long.toHexString(bodiesIndex));
            }

            @Override
            public void failed(AcceptedMessage m, Throwable cause) {
                events.add("failed " + m.id());
            }
        };
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().syncer(syncer).queuedListener(queued))) {
            AcceptedMessage m = TestJournals.message(0x41, List.of("a@x.org", "b@x.org"), new byte[] {1, 2});
            assertThat(writer.offer(m, callback)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.entered.get() == 1);
            Thread.sleep(200);
            assertThat(events).as("nothing before the sync returns").isEmpty();
            syncer.permits.release(100);
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
            String index = events.get(1).substring("appended 65 ".length());
            assertThat(events).containsExactly(
                "queued 65 " + index + " " + m.receivedAtMillis() + " [a@x.org, b@x.org] syncs=1 sluice-journal-writer",
                "appended 65 " + index);
        }
    }

    @Test
    void shouldReportDeferralsAsNotRecordedAndSkipTheQueuedListenerOnceTheWriterFailed() throws Exception {
        Syncer failing = new Syncer() {
            @Override
            public void sync(SyncTarget target) throws java.io.IOException {
                throw new java.io.IOException("disk gone");
            }

            @Override
            public void close() {
            }
        };
        List<String> heard = new CopyOnWriteArrayList<>();
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                 .syncer(failing)
                 .queuedListener((id, index, at, rcpts) -> heard.add("queued " + id))
                 .deferredListener((id, rcpt, attempts, due, recorded) -> heard.add("deferred " + id + " " + recorded))
                 .outcomeListener((id, rcpt, outcome, recorded) -> heard.add("outcome " + id + " " + recorded)))) {
            writer.offer(TestJournals.message(9, "m"), recorder);
            recorder.await();
            assertThat(recorder.failed).containsOnlyKeys(9L);
            assertThat(writer.failure()).hasMessage("disk gone");
            assertThat(writer.offerDeferred(9, 0, 1, DUE_1, 451, "later")).isTrue();
            assertThat(writer.offerOutcome(9, 0, OutcomeCode.DELIVERED, 1)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
        }
        assertThat(heard).containsExactly("deferred 9 false", "outcome 9 false");
    }
}
