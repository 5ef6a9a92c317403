package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.config.JournalSettings.SyncPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path end to end on a real journal: durability ordering (a gated syncer proves no callback precedes its
 * sync), group commit, exact round trip of bytes and envelope, size limits, sync none, outcomes, checkpoint timing,
 * back-pressure and a draining close.
 */
class JournalWriterTest {
    @TempDir
    Path dir;

    /** Wraps the real syncer; each call waits for a permit, and counts entries and returns. */
    static final class GatedSyncer implements Syncer {
        final ChronicleSyncer real = new ChronicleSyncer();
        final Semaphore permits = new Semaphore(0);
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();

        @Override
        public void sync(SyncTarget target) throws java.io.IOException {
            entered.incrementAndGet();
            permits.acquireUninterruptibly();
            real.sync(target);
            returned.incrementAndGet();
        }

        @Override
        public void close() throws java.io.IOException {
            real.close();
        }
    }

    @Test
    void shouldAcknowledgeNothingBeforeItsSyncReturns() throws Exception {
        GatedSyncer syncer = new GatedSyncer();
        Map<Long, Integer> syncsReturnedAtCallback = new ConcurrentHashMap<>();
        AppendCallback callback = new AppendCallback() {
            @Override
            public void appended(AcceptedMessage m, long bodiesIndex) {
                syncsReturnedAtCallback.put(m.id(), syncer.returned.get());
            }

            @Override
            public void failed(AcceptedMessage m, Throwable cause) {
                throw new AssertionError(cause);
            }
        };
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().syncer(syncer))) {
            assertThat(writer.offer(TestJournals.message(1, "first"), callback)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.entered.get() == 1);
            assertThat(writer.offer(TestJournals.message(2, "second"), callback)).isTrue();
            Thread.sleep(300);
            assertThat(syncsReturnedAtCallback).isEmpty();

            syncer.permits.release();
            await().atMost(Duration.ofSeconds(5)).until(() -> syncsReturnedAtCallback.containsKey(1L));
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.entered.get() == 2);
            Thread.sleep(300);
            assertThat(syncsReturnedAtCallback).containsOnlyKeys(1L).containsEntry(1L, 1);

            syncer.permits.release();
            await().atMost(Duration.ofSeconds(5)).until(() -> syncsReturnedAtCallback.containsKey(2L));
            assertThat(syncsReturnedAtCallback).containsEntry(2L, 2);
            syncer.permits.release(100); // let close() sync
        }
    }

    @Test
    void shouldGroupMessagesWaitingDuringOneSyncIntoTheNext() throws Exception {
        GatedSyncer syncer = new GatedSyncer();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        JournalObserver observer = new JournalObserver() {
            @Override
            public void onSync(long syncNanos, int batchSize, int outcomes) {
                batchSizes.add(batchSize);
            }
        };
        TestJournals.Recorder recorder = new TestJournals.Recorder(51);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().syncer(syncer).observer(observer).checkpointOnClose(false))) {
            writer.offer(TestJournals.message(1000, "alone"), recorder);
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.entered.get() == 1);
            for (int i = 0; i < 50; i++) {
                writer.offer(TestJournals.message(i, "m" + i), recorder);
            }
            syncer.permits.release(2);
            recorder.await();
            syncer.permits.release(100);
        }
        assertThat(batchSizes).startsWith(1, 50);
        assertThat(recorder.failed).isEmpty();
    }

    @Test
    void shouldRoundTripExactBytesAndEnvelopeAcrossReopen() throws Exception {
        Random random = new Random(7);
        List<AcceptedMessage> sent = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        TestJournals.Recorder recorder = new TestJournals.Recorder(20);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions())) {
            for (int i = 0; i < 20; i++) {
                byte[] body = new byte[i == 0 ? 0 : random.nextInt(200_000)];
                random.nextBytes(body);
                ByteBuffer buffer = ByteBuffer.allocateDirect(body.length + 10);
                buffer.position(5);
                buffer.put(body).flip().position(5); // body sits at an offset in a direct buffer
                AcceptedMessage m = new AcceptedMessage(journal.nextMessageId(), 1_790_000_000_000L + i,
                    "submission", "2001:db8::" + i, "hélo-" + i + ".example", i % 2 == 0 ? null : "user" + i,
                    i == 3 ? "" : "sénder" + i + "@Example.COM", i % 4 == 1 ? "pool=x\nstream=bulk" + i : "",
                    List.of("a" + i + "@example.org", "üser@exämple.de", "😀@example.net"), buffer, i % 3 == 0);
                sent.add(m);
                bodies.add(body);
                assertThat(writer.offer(m, recorder)).isTrue();
            }
            recorder.await();
            assertThat(recorder.failed).isEmpty();
            assertThat(recorder.threads.values()).allMatch(t -> t.equals("sluice-journal-writer"));
            for (AcceptedMessage m : sent) {
                assertThat(m.body().position()).isEqualTo(5); // the caller's view is restored
            }
        }
        try (Journal journal = TestJournals.open(dir);
             BodiesReader reader = BodiesReader.open(journal)) {
            PendingSet recovered = Recovery.recover(journal).pending();
            for (int i = 0; i < sent.size(); i++) {
                AcceptedMessage m = sent.get(i);
                io.sluice.model.RouteInputs expected = new io.sluice.model.RouteInputs(i == 3 ? "" : "example.com",
                    i % 2 == 0 ? "" : "user" + i, "submission", i % 4 == 1 ? "bulk" + i : "");
                assertThat(m.routeInputs()).isEqualTo(expected);
                assertThat(recovered.get(m.id()).routeInputs()).as("journalled in QUEUED").isEqualTo(expected);
            }
            AcceptedRecord record = new AcceptedRecord();
            for (int i = 0; i < sent.size(); i++) {
                AcceptedMessage m = sent.get(i);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                assertThat(reader.read(recorder.appended.get(m.id()), record, body::write)).isTrue();
                assertThat(record.id()).isEqualTo(m.id());
                assertThat(record.receivedAtMillis()).isEqualTo(m.receivedAtMillis());
                assertThat(record.listener()).isEqualTo("submission");
                assertThat(record.clientAddress()).isEqualTo(m.clientAddress());
                assertThat(record.heloName()).isEqualTo(m.heloName());
                assertThat(record.authIdentity()).isEqualTo(m.authIdentity());
                assertThat(record.sender()).isEqualTo(m.sender());
                assertThat(record.recipients()).isEqualTo(m.recipients());
                assertThat(record.smtpUtf8()).isEqualTo(m.smtpUtf8());
                assertThat(record.bodyLength()).isEqualTo(bodies.get(i).length);
                assertThat(TestJournals.sha256(body.toByteArray())).isEqualTo(TestJournals.sha256(bodies.get(i)));
            }
        }
    }

    @Test
    void shouldReadAVersionOneAcceptedRecordWithoutFlags() throws Exception {
        byte[] block = RecipientBlock.encode(List.of("rcpt@example.org"));
        byte[] body = "Subject: old\r\n\r\nbody\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String[] strings = {"smtp", "127.0.0.1", "client.example", "", "from@example.com", ""};
        int stringBytes = 0;
        for (String s : strings) {
            stringBytes += 2 + s.length();
        }
        int bodyOffset = AcceptedDescriptor.HEADER_LENGTH + stringBytes + block.length;
        long index;
        try (Journal journal = TestJournals.open(dir);
             net.openhft.chronicle.queue.ExcerptAppender appender = journal.bodies().createAppender()) {
            try (net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument()) {
                net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
                b.writeUnsignedByte(RecordHeader.TYPE_ACCEPTED);
                b.writeUnsignedByte(1); // as version 1 wrote it: no flags byte before the body
                b.writeUnsignedShort(1);
                b.writeInt(bodyOffset);
                b.writeInt(body.length);
                b.writeInt(block.length);
                b.writeLong(42);
                b.writeLong(1_790_000_000_000L);
                for (String s : strings) {
                    b.writeUnsignedShort(s.length());
                    b.write(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                b.write(block);
                b.write(body);
            }
            index = appender.lastIndexAppended();
        }
        try (Journal journal = TestJournals.open(dir);
             BodiesReader reader = BodiesReader.open(journal)) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            AcceptedRecord record = new AcceptedRecord();
            assertThat(reader.read(index, record, read::write)).isTrue();
            assertThat(record.sender()).isEqualTo("from@example.com");
            assertThat(record.recipients()).containsExactly("rcpt@example.org");
            assertThat(record.smtpUtf8()).isFalse();
            assertThat(read.toByteArray()).isEqualTo(body);
        }
    }

    @Test
    void shouldStoreAMessageOfTheMaximumSize() throws Exception {
        byte[] body = new byte[(int) TestJournals.MAX_MESSAGE];
        new Random(1).nextBytes(body);
        TestJournals.Recorder recorder = new TestJournals.Recorder(2);
        long id;
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions())) {
            assertThat(journal.bodiesBlockSize()).isEqualTo(128L << 20);
            id = journal.nextMessageId();
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                many.add("recipient-number-" + i + "@some-long-domain-name.example.com");
            }
            writer.offer(TestJournals.message(id, many, body), recorder);
            writer.offer(TestJournals.message(id + 1, "after the big one"), recorder);
            recorder.await();
            assertThat(recorder.failed).isEmpty();
        }
        try (Journal journal = TestJournals.open(dir);
             BodiesReader reader = BodiesReader.open(journal)) {
            ByteArrayOutputStream read = new ByteArrayOutputStream(body.length);
            AcceptedRecord record = new AcceptedRecord();
            assertThat(reader.read(recorder.appended.get(id), record, read::write)).isTrue();
            assertThat(record.recipients()).hasSize(1000);
            assertThat(TestJournals.sha256(read.toByteArray())).isEqualTo(TestJournals.sha256(body));
            assertThat(Recovery.recover(journal).pending().pendingRecipients()).isEqualTo(1001);
        }
    }

    @Test
    void shouldFailAMessageTooLargeForTheBlockSizeAndCarryOn() throws Exception {
        TestJournals.Recorder recorder = new TestJournals.Recorder(2);
        try (Journal journal = Journal.open(TestJournals.settings(dir, SyncPolicy.BATCH), 1 << 20);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions())) {
            assertThat(journal.maxAcceptedRecordBytes()).isEqualTo(16L << 20);
            writer.offer(TestJournals.message(1, List.of("a@example.org"), new byte[17 << 20]), recorder);
            writer.offer(TestJournals.message(2, "fits"), recorder);
            recorder.await();
            assertThat(recorder.failed).containsOnlyKeys(1L);
            assertThat(recorder.failed.get(1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal limit");
            assertThat(recorder.appended).containsOnlyKeys(2L);
        }
    }

    @Test
    void shouldAcknowledgeWithoutSyncingWhenSyncIsNone() throws Exception {
        GatedSyncer syncer = new GatedSyncer(); // no permits: a sync would block forever
        TestJournals.Recorder recorder = new TestJournals.Recorder(10);
        try (Journal journal = Journal.open(TestJournals.settings(dir, SyncPolicy.NONE), TestJournals.MAX_MESSAGE);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().syncer(syncer))) {
            for (int i = 0; i < 10; i++) {
                writer.offer(TestJournals.message(i, "x"), recorder);
            }
            recorder.await();
            assertThat(syncer.entered.get()).isZero();
            syncer.permits.release(100); // a clean close still syncs once
        }
        assertThat(syncer.entered.get()).isEqualTo(1);
    }

    @Test
    void shouldRecordOutcomesOnceAndReportDuplicates() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        OutcomeListener listener = (id, rcpt, outcome, recorded) ->
            heard.add(id + "/" + rcpt + "/" + outcome.label() + "/" + recorded);
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().outcomeListener(listener))) {
            writer.offer(TestJournals.message(5, List.of("a@x.org", "b@x.org"), new byte[] {1}), recorder);
            recorder.await();
            assertThat(writer.offerOutcome(5, 1, OutcomeCode.BOUNCED, 1000)).isTrue();
            assertThat(writer.offerOutcome(5, 1, OutcomeCode.DELIVERED, 1001)).isTrue();
            assertThat(writer.offerOutcome(6, 0, OutcomeCode.DELIVERED, 1002)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);
        }
        assertThat(heard).containsExactly("5/1/bounced/true", "5/1/delivered/false", "6/0/delivered/false");
        try (Journal journal = TestJournals.open(dir)) {
            PendingSet pending = Recovery.recover(journal).pending();
            assertThat(pending.isPending(5, 0)).isTrue();
            assertThat(pending.isPending(5, 1)).isFalse();
            assertThat(pending.pendingRecipients()).isEqualTo(1);
        }
    }

    @Test
    void shouldDrainEverythingOfferedBeforeCloseReturns() throws Exception {
        TestJournals.Recorder recorder = new TestJournals.Recorder(500);
        JournalWriter writer;
        try (Journal journal = TestJournals.open(dir)) {
            writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions());
            for (int i = 0; i < 500; i++) {
                assertThat(writer.offer(TestJournals.message(journal.nextMessageId(), "m" + i), recorder)).isTrue();
            }
            writer.close();
            assertThat(recorder.appended).hasSize(500);
            assertThat(writer.offer(TestJournals.message(journal.nextMessageId(), "late"), recorder)).isFalse();
            assertThat(writer.offerOutcome(1, 0, OutcomeCode.DELIVERED, 0)).isFalse();
            writer.close(); // idempotent
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.recordsReplayed()).isZero();
            assertThat(recovered.pending().pendingMessages()).isEqualTo(500);
        }
    }

    @Test
    void shouldRejectOffersWhenTheQueueIsFull() throws Exception {
        GatedSyncer syncer = new GatedSyncer();
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                 new WriterOptions().syncer(syncer).queueCapacity(4))) {
            writer.offer(TestJournals.message(100, "blocks in sync"), recorder);
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.entered.get() == 1);
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (writer.offer(TestJournals.message(i, "q"), new TestJournals.Recorder(0))) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(4);
            syncer.permits.release(100);
            recorder.await();
        }
    }

    @Test
    void shouldCheckpointWhenTheIntervalPassedAndSomethingChanged() throws Exception {
        CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        AtomicInteger checkpoints = new AtomicInteger();
        JournalObserver observer = new JournalObserver() {
            @Override
            public void onCheckpoint(long nanos, long messages, long recipients) {
                checkpoints.incrementAndGet();
            }
        };
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                 .clock(clock).observer(observer).checkpointInterval(Duration.ofSeconds(60)).maxParkNanos(1_000_000))) {
            writer.offer(TestJournals.message(1, "x"), recorder);
            recorder.await();
            clock.advance(59_000);
            Thread.sleep(100);
            assertThat(checkpoints.get()).isZero();
            clock.advance(1_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> checkpoints.get() == 1);
            clock.advance(120_000); // nothing changed since: no new checkpoint
            Thread.sleep(100);
            assertThat(checkpoints.get()).isEqualTo(1);
        }
        assertThat(checkpoints.get()).isEqualTo(1); // and none on close either
    }

    @Test
    void shouldRefreshFreeBytes() throws Exception {
        try (Journal journal = TestJournals.open(dir)) {
            assertThat(journal.freeBytes()).isPositive();
            long before = System.currentTimeMillis();
            journal.freeSpace().refresh();
            assertThat(journal.freeBytes()).isPositive();
        }
    }
}
