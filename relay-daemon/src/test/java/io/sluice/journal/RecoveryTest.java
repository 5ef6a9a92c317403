package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from the last checkpoint plus tail equals a full replay and an in-memory model (pending flags and retry
 * schedules), over random histories of QUEUED, OUTCOME and DEFERRED records, version 1 checkpoints,
 * writer-produced journals, rolled cycle files, inconsistent or cut-short checkpoints (the previous one is used)
 * and unknown records. Where state retention deleted cycles, only recovery from the checkpoint is complete: see
 * {@code RetentionTest} and {@code CompactionTest}, which compare it with the state before the restart.
 */
class RecoveryTest {
    @TempDir
    Path dir;

    /** The reference model: id to (bodies index, recipients, pending flags). */
    private final Map<Long, TestJournals.Entry> model = new TreeMap<>();

    @Test
    void shouldRecoverFromTheLastCheckpointExactlyWhatAFullReplayAndTheModelGive() throws Exception {
        Random random = new Random(20261122);
        int checkpoints = 0;
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            PendingSet live = new PendingSet();
            CheckpointWriter checkpointWriter = new CheckpointWriter();
            long nextId = 1;
            for (int op = 0; op < 6000; op++) {
                int dice = random.nextInt(100);
                if (dice < 40 || model.isEmpty()) {
                    long id = nextId++;
                    List<String> rcpts = new ArrayList<>();
                    int n = random.nextInt(10) == 0 ? 65 + random.nextInt(80) : 1 + random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        rcpts.add("r" + id + "-" + i + "@example.org");
                    }
                    queued(state, live, id, 1000 + id, rcpts);
                } else if (dice < 70) {
                    List<Long> ids = new ArrayList<>(model.keySet());
                    long id = ids.get(random.nextInt(ids.size()));
                    int rcpt = random.nextInt(model.get(id).recipients().size());
                    outcome(state, live, id, rcpt); // may repeat a final recipient: must be ignored
                } else if (dice < 97) {
                    // Deferrals, repeated per recipient (the last wins), some for final recipients or unknown
                    // messages (ignored), some out of the in-memory range (clamped alike on both paths).
                    List<Long> ids = new ArrayList<>(model.keySet());
                    long id = random.nextInt(20) == 0 ? nextId + 5 : ids.get(random.nextInt(ids.size()));
                    int rcpt = model.containsKey(id) ? random.nextInt(model.get(id).recipients().size()) : 0;
                    int attempts = random.nextInt(50) == 0 ? 70_000 + random.nextInt(10) : 1 + random.nextInt(9);
                    long due = random.nextInt(50) == 0 ? -5 : 1_790_000_000_000L + random.nextInt(1_000_000);
                    deferred(state, live, id, rcpt, attempts, due);
                } else {
                    checkpointWriter.write(state, live, ++checkpoints, op, nextId);
                }
            }
            // A checkpoint cut short by a crash: a BEGIN without END must be ignored.
            long unfinished = checkpoints + 1;
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_BEGIN);
                b.writeUnsignedByte(RecordHeader.VERSION);
                b.writeUnsignedShort(0);
                b.writeInt(0);
                b.writeLong(unfinished);
                for (int i = 0; i < 5; i++) {
                    b.writeLong(0);
                }
            });
            assertThat(TestJournals.snapshot(live)).isEqualTo(model);
        }
        assertThat(checkpoints).isGreaterThan(50);
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult fromCheckpoint = Recovery.recover(journal);
            RecoveryResult fullReplay = Recovery.replayAll(journal);
            assertThat(fromCheckpoint.fromCheckpoint()).isTrue();
            assertThat(fromCheckpoint.checkpointSequence()).isEqualTo(checkpoints);
            assertThat(fromCheckpoint.recordsReplayed()).isLessThan(fullReplay.recordsReplayed() / 10);
            assertThat(fullReplay.fromCheckpoint()).isFalse();
            assertThat(TestJournals.snapshot(fromCheckpoint.pending())).isEqualTo(model);
            assertThat(TestJournals.snapshot(fullReplay.pending())).isEqualTo(model);
            assertRouteInputs(fromCheckpoint.pending());
            assertRouteInputs(fullReplay.pending());
            assertThat(fromCheckpoint.pending().pendingMessages()).isEqualTo(model.size());
            assertThat(model.values().stream().flatMap(e -> e.retries().stream()).filter(w -> w != 0).count())
                .as("deferred recipients in the model").isGreaterThan(20);
            assertThat(fullReplay.ignoredOutcomes()).isGreaterThan(0);
            assertThat(fromCheckpoint.pending().pendingRecipients()).isEqualTo(
                model.values().stream().flatMap(e -> e.pending().stream()).filter(p -> p).count());
        }
    }

    @Test
    void shouldRecoverCheckpointThenTailWrittenByTheWriter() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Journal journal = TestJournals.open(dir)) {
            TestJournals.Recorder first = new TestJournals.Recorder(30);
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                new WriterOptions().checkpointOnClose(false));
            for (int i = 0; i < 30; i++) {
                long id = journal.nextMessageId();
                ids.add(id);
                writer.offer(TestJournals.message(id, List.of("a@x.org", "b@x.org"), new byte[] {(byte) i}), first);
            }
            first.await();
            for (int i = 0; i < 10; i++) {
                writer.offerOutcome(ids.get(i), 0, OutcomeCode.DELIVERED, 1);
                writer.offerOutcome(ids.get(i), 1, OutcomeCode.DELIVERED, 1);
            }
            writer.requestCheckpoint();
            TestJournals.Recorder second = new TestJournals.Recorder(5);
            for (int i = 0; i < 5; i++) {
                long id = journal.nextMessageId();
                ids.add(id);
                writer.offer(TestJournals.message(id, "tail " + i), second);
            }
            second.await();
            writer.offerOutcome(ids.get(10), 1, OutcomeCode.BOUNCED, 2);
            writer.close();
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            RecoveryResult full = Recovery.replayAll(journal);
            assertThat(TestJournals.snapshot(recovered.pending())).isEqualTo(TestJournals.snapshot(full.pending()));
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.pending().pendingMessages()).isEqualTo(25);
            assertThat(recovered.pending().pendingRecipients()).isEqualTo(20 * 2 - 1 + 5);
            assertThat(recovered.pending().isPending(ids.get(10), 1)).isFalse();
            assertThat(recovered.pending().get(ids.get(9))).isNull();
            assertThat(recovered.highestMessageId()).isEqualTo(ids.get(ids.size() - 1));
            assertThat(recovered.toString()).contains("25 pending messages");
        }
    }

    @Test
    void aWriterStartedOnAReplayedJournalWritesACheckpointOnCloseEvenWithoutNewRecords() throws Exception {
        try (Journal journal = TestJournals.open(dir)) {
            TestJournals.Recorder acked = new TestJournals.Recorder(20);
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                new WriterOptions().checkpointOnClose(false));
            for (int i = 0; i < 20; i++) {
                writer.offer(TestJournals.message(journal.nextMessageId(), "crash " + i), acked);
            }
            acked.await();
            writer.close(); // as after a crash: no checkpoint
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult replayed = Recovery.recover(journal);
            assertThat(replayed.fromCheckpoint()).isFalse();
            assertThat(replayed.recordsReplayed()).isEqualTo(20);
            JournalWriter.start(journal, replayed, new WriterOptions()).close(); // started and stopped, nothing new
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).as(recovered.toString()).isTrue();
            assertThat(recovered.recordsReplayed()).isZero();
            assertThat(recovered.pending().pendingMessages()).isEqualTo(20);
        }
    }

    @Test
    void shouldFallBackToThePreviousCheckpointWhenTheLastDisagreesWithItself() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            PendingSet live = new PendingSet();
            queued(state, live, 1, 11, List.of("a@x.org"));
            queued(state, live, 2, 12, List.of("b@x.org"));
            new CheckpointWriter().write(state, live, 1, 0, 2);
            writeInconsistentCheckpoint(state, 2);
            outcome(state, live, 1, 0);
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.checkpointSequence()).isEqualTo(1);
            assertThat(TestJournals.snapshot(recovered.pending())).isEqualTo(model);
        }
    }

    @Test
    void shouldFallBackToFullReplayWhenNoCheckpointHoldsTogether() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            PendingSet live = new PendingSet();
            queued(state, live, 1, 11, List.of("a@x.org"));
            queued(state, live, 2, 12, List.of("b@x.org"));
            writeInconsistentCheckpoint(state, 2);
            outcome(state, live, 1, 0);
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isFalse();
            assertThat(TestJournals.snapshot(recovered.pending())).isEqualTo(model);
        }
    }

    /** A BEGIN and END claiming 5 messages with no entries between: fails the cross-checks. */
    private static void writeInconsistentCheckpoint(ExcerptAppender state, long sequence) {
        writeRaw(state, b -> {
            b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_BEGIN);
            b.writeUnsignedByte(RecordHeader.VERSION);
            b.writeUnsignedShort(0);
            b.writeInt(0);
            b.writeLong(sequence);
            b.writeLong(0);
            b.writeLong(2);
            b.writeLong(5);
            b.writeLong(5);
        });
        long beginIndex = state.lastIndexAppended();
        writeRaw(state, b -> {
            b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_END);
            b.writeUnsignedByte(RecordHeader.VERSION);
            b.writeUnsignedShort(0);
            b.writeInt(0);
            b.writeLong(sequence);
            b.writeLong(beginIndex);
            b.writeLong(5);
            b.writeLong(5);
        });
    }

    @Test
    void shouldRecoverAcrossRolledCycleFiles() throws Exception {
        SetTimeProvider time = new SetTimeProvider(1_790_000_000_000L * 1_000_000L);
        List<Long> ids = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger checkpointsWritten = new java.util.concurrent.atomic.AtomicInteger();
        JournalObserver observer = new JournalObserver() {
            @Override
            public void onCheckpoint(long nanos, long messages, long recipients) {
                checkpointsWritten.incrementAndGet();
            }
        };
        try (Journal journal = Journal.open(TestJournals.settings(dir, io.sluice.config.JournalSettings.SyncPolicy.BATCH),
            TestJournals.MAX_MESSAGE, TestRollCycles.TEST_SECONDLY, time)) {
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                new WriterOptions().checkpointOnClose(false).observer(observer));
            for (int cycle = 0; cycle < 4; cycle++) {
                TestJournals.Recorder recorder = new TestJournals.Recorder(3);
                for (int i = 0; i < 3; i++) {
                    long id = journal.nextMessageId();
                    ids.add(id);
                    writer.offer(TestJournals.message(id, "cycle " + cycle), recorder);
                }
                recorder.await();
                if (cycle == 1) {
                    writer.requestCheckpoint();
                    org.awaitility.Awaitility.await().until(() -> checkpointsWritten.get() == 1);
                }
                if (cycle < 3) { // not after the last: an ended head cycle gets rolled (HeadCycleRoll), a 5th file
                    time.advanceMillis(1500);
                }
            }
            writer.close();
            try (var files = java.nio.file.Files.list(dir.resolve("bodies"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".cq4"))).hasSize(4);
            }
        }
        try (Journal journal = Journal.open(TestJournals.settings(dir, io.sluice.config.JournalSettings.SyncPolicy.BATCH),
            TestJournals.MAX_MESSAGE, TestRollCycles.TEST_SECONDLY, time)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.recordsReplayed()).isEqualTo(6);
            assertThat(recovered.pending().pendingMessages()).isEqualTo(12);
            try (BodiesReader reader = BodiesReader.open(journal)) {
                AcceptedRecord record = new AcceptedRecord();
                for (long id : ids) {
                    assertThat(reader.read(recovered.pending().get(id).bodiesIndex(), record, null)).isTrue();
                    assertThat(record.id()).isEqualTo(id);
                }
            }
        }
    }

    @Test
    void shouldLoadAVersionOneCheckpointAndApplyDeferralsAfterIt() throws Exception {
        byte[] block = RecipientBlock.encode(List.of("a@x.org", "b@x.org"));
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            PendingSet live = new PendingSet();
            queued(state, live, 1, 11, List.of("a@x.org", "b@x.org"));
            // A checkpoint as version 1 wrote it: reserved 0 where version 2 has flags, no retry words.
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_BEGIN);
                b.writeUnsignedByte(1);
                b.writeUnsignedShort(0);
                b.writeInt(0);
                b.writeLong(7);
                b.writeLong(0);
                b.writeLong(1);
                b.writeLong(1);
                b.writeLong(2);
            });
            long beginIndex = state.lastIndexAppended();
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_PART);
                b.writeUnsignedByte(1);
                b.writeUnsignedShort(0);
                b.writeInt(1);
                b.writeLong(7);
                b.writeLong(1);
                b.writeLong(11);
                b.writeUnsignedShort(2);
                b.writeUnsignedShort(0);
                b.writeInt(block.length);
                b.writeLong(0b11);
                b.write(block);
            });
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_END);
                b.writeUnsignedByte(1);
                b.writeUnsignedShort(0);
                b.writeInt(0);
                b.writeLong(7);
                b.writeLong(beginIndex);
                b.writeLong(1);
                b.writeLong(2);
            });
            deferred(state, live, 1, 1, 3, 1_790_000_123_456L);
        }
        // Checkpoints before version 3 carry no received time: the id's time floor stands in.
        TestJournals.Entry e = model.get(1L);
        model.put(1L, new TestJournals.Entry(e.bodiesIndex(), MessageIds.timeFloorMillis(1), e.recipients(),
            e.pending(), e.retries()));
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.fromCheckpoint()).isTrue();
            assertThat(recovered.checkpointSequence()).isEqualTo(7);
            assertThat(recovered.recordsReplayed()).isEqualTo(1);
            assertThat(TestJournals.snapshot(recovered.pending())).isEqualTo(model);
            PendingMessage m = recovered.pending().get(1);
            assertThat(m.isDeferred(0)).isFalse();
            assertThat(m.attempts(1)).isEqualTo(3);
            assertThat(m.nextDueMillis(1)).isEqualTo(1_790_000_123_456L);
        }
    }

    @Test
    void shouldRefuseACheckpointVersionItDoesNotKnow() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_BEGIN);
                b.writeUnsignedByte(RecordHeader.CHECKPOINT_VERSION + 1);
                b.writeUnsignedShort(0);
                b.writeInt(0);
                b.writeLong(1);
                for (int i = 0; i < 4; i++) {
                    b.writeLong(0);
                }
            });
            long beginIndex = state.lastIndexAppended();
            writeRaw(state, b -> {
                b.writeUnsignedByte(RecordHeader.TYPE_CHECKPOINT_END);
                b.writeUnsignedByte(RecordHeader.CHECKPOINT_VERSION + 1);
                b.writeUnsignedShort(0);
                b.writeInt(0);
                b.writeLong(1);
                b.writeLong(beginIndex);
                b.writeLong(0);
                b.writeLong(0);
            });
        }
        try (Journal journal = TestJournals.open(dir)) {
            assertThatThrownBy(() -> Recovery.recover(journal)).isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("0x12").hasMessageContaining("version " + (RecordHeader.CHECKPOINT_VERSION + 1) + "; this build reads up to "
                    + RecordHeader.CHECKPOINT_VERSION);
        }
    }

    @Test
    void shouldRefuseARecordTypeItDoesNotKnow() throws Exception {
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender()) {
            writeRaw(state, b -> {
                b.writeUnsignedByte(0x7E);
                b.writeUnsignedByte(RecordHeader.VERSION);
                b.writeUnsignedShort(0);
            });
        }
        try (Journal journal = TestJournals.open(dir)) {
            assertThatThrownBy(() -> Recovery.recover(journal)).isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("0x7e");
        }
    }

    private void queued(ExcerptAppender state, PendingSet live, long id, long bodiesIndex, List<String> rcpts) {
        byte[] block = RecipientBlock.encode(rcpts);
        long receivedAt = receivedAt(id);
        writeRaw(state, b -> StateEncoder.writeQueued(b, id, bodiesIndex, receivedAt, rcpts.size(), block,
            routeInputs(id)));
        live.add(id, bodiesIndex, receivedAt, block, rcpts.size(), routeInputs(id));
        Boolean[] flags = new Boolean[rcpts.size()];
        java.util.Arrays.fill(flags, Boolean.TRUE);
        model.put(id, new TestJournals.Entry(bodiesIndex, receivedAt, rcpts, List.of(flags)));
    }

    private void outcome(ExcerptAppender state, PendingSet live, long id, int rcpt) {
        TestJournals.Entry e = model.get(id);
        writeRaw(state, b -> StateEncoder.writeOutcome(b, id, rcpt, OutcomeCode.DELIVERED.code(), 0, 0));
        live.complete(id, rcpt);
        if (e == null || !e.pending().get(rcpt)) {
            return;
        }
        List<Boolean> flags = new ArrayList<>(e.pending());
        flags.set(rcpt, false);
        List<Long> retries = new ArrayList<>(e.retries());
        retries.set(rcpt, 0L);
        if (flags.contains(true)) {
            model.put(id, new TestJournals.Entry(e.bodiesIndex(), e.receivedAtMillis(), e.recipients(),
                List.copyOf(flags),
                List.copyOf(retries)));
        } else {
            model.remove(id);
        }
    }

    private void deferred(ExcerptAppender state, PendingSet live, long id, int rcpt, int attempts, long due) {
        writeRaw(state, b -> StateEncoder.writeDeferred(b, id, rcpt, attempts, due, 451, "4.7.1 later " + attempts,
            "mx.x.org", 0));
        boolean applied = live.defer(id, rcpt, attempts, due);
        TestJournals.Entry e = model.get(id);
        assertThat(applied).isEqualTo(e != null && e.pending().get(rcpt));
        if (applied) {
            List<Long> retries = new ArrayList<>(e.retries());
            retries.set(rcpt, PendingMessage.packRetry(attempts, due));
            model.put(id, new TestJournals.Entry(e.bodiesIndex(), e.receivedAtMillis(), e.recipients(), e.pending(),
                List.copyOf(retries)));
        }
    }

    /** Varied route inputs per message, some unknown (as from an older build). */
    private static io.sluice.model.RouteInputs routeInputs(long id) {
        if (id % 3 == 0) {
            return io.sluice.model.RouteInputs.UNKNOWN;
        }
        return new io.sluice.model.RouteInputs("d" + id % 5 + ".test", id % 2 == 0 ? "" : "user" + id % 4, "smtp",
            id % 7 == 0 ? "bulk" : "", id % 4 == 1 ? "brand" + id % 3 + ".example" : "");
    }

    /** Every pending message of {@code set} carries the route inputs it was queued with. */
    private static void assertRouteInputs(PendingSet set) {
        set.forEach(m -> assertThat(m.routeInputs()).as("route inputs of %d", m.id()).isEqualTo(routeInputs(m.id())));
    }

    /** A received time unrelated to the id's time floor, so a test sees which one recovery returns. */
    private static long receivedAt(long id) {
        return 1_790_000_000_000L + 7 * id;
    }

    private static void writeRaw(ExcerptAppender appender, java.util.function.Consumer<Bytes<?>> body) {
        try (DocumentContext dc = appender.writingDocument()) {
            body.accept(dc.wire().bytes());
        }
    }
}
