package io.sluice.journal;

import static io.sluice.journal.CompactionFixture.soon;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on a real journal with one-second cycles and a settable clock: old {@code bodies/} cycles go away
 * while a deferred recipient keeps its message, which reads back byte-identical by id (also through the index it
 * was queued with), survives recovery at its new index, and shows once in the dump.
 */
class CompactionTest {
    @TempDir
    Path dir;

    private CompactionFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void shouldDeleteOldBodiesCyclesWhileADeferredRecipientKeepsItsMessage() throws Exception {
        f = new CompactionFixture(dir);
        f.start(null);
        long deferred = f.accept(List.of("a@x.org", "b@x.org"), 200_000);
        long delivered = f.accept(List.of("c@x.org"), 1000);
        Path firstCycle = single(f.cycleFiles("bodies"));
        f.deliver(deferred, 0);
        f.deliver(delivered, 0);
        f.defer(deferred, 1);
        long oldIndex = f.queuedIndex.get(deferred);

        for (int s = 1; s <= 5; s++) {
            f.time.advanceMillis(1000);
            long other = f.accept(List.of("d@x.org"), 500);
            f.deliver(other, 0);
        }
        soon().until(() -> !Files.exists(firstCycle));

        long newIndex = f.journal.relocations().lookup(deferred);
        assertThat(newIndex).isGreaterThan(oldIndex);
        assertThat(f.journal.relocations().lookup(delivered)).as("delivered mail is not copied").isEqualTo(-1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        AcceptedRecord record = f.readById(deferred, oldIndex, body);
        assertThat(record).as("read by id with the index it was queued with").isNotNull();
        assertThat(record.bodiesIndex()).isEqualTo(newIndex);
        assertThat(record.receivedAtMillis()).isEqualTo(f.receivedAt.get(deferred));
        assertThat(record.recipients()).containsExactly("a@x.org", "b@x.org");
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(deferred));
        try (BodiesReader reader = BodiesReader.open(f.journal)) {
            assertThat(reader.read(oldIndex, new AcceptedRecord(), null)).as("the old index is gone").isFalse();
            assertThat(reader.read(delivered, f.queuedIndex.get(delivered), new AcceptedRecord(), null)).isFalse();
        }
        CompactionStats stats = f.journal.compactionStats();
        assertThat(stats.messagesRelocated()).isEqualTo(1);
        assertThat(stats.bytesRelocated()).isGreaterThan(200_000);
        assertThat(stats.bodiesCyclesDeleted()).isGreaterThanOrEqualTo(2);
        assertThat(stats.relocationFailures()).isZero();
        f.stop();

        f.start(null);
        RecoveryResult recovered = Recovery.recover(f.journal);
        assertThat(recovered.fromCheckpoint()).isTrue();
        PendingMessage m = recovered.pending().get(deferred);
        assertThat(m.bodiesIndex()).isEqualTo(newIndex);
        assertThat(m.receivedAtMillis()).isEqualTo(f.receivedAt.get(deferred));
        assertThat(m.isPending(0)).isFalse();
        assertThat(m.attempts(1)).isEqualTo(1);
        assertThat(recovered.pending().pendingMessages()).isEqualTo(1);
        f.stop();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JournalDump.dump(dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains(MessageIds.format(deferred))).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"bodiesIndex\":\"0x" + Long.toHexString(newIndex) + "\"")
            // Retention deleted the state/ cycle with the OUTCOME and DEFERRED: the checkpoint still tells.
            .contains("\"recipientStates\":[\"final\",\"deferred\"]").contains("\"attempts\":1")
            .contains(TestJournals.sha256(f.bodies.get(deferred)));
    }

    /**
     * Issue 9 item 3: with no append after a burst, the cycle holding it must still be rolled (a metadata marker
     * that no reader sees) and compacted; the relocated message stays readable, recoverable and dumped once.
     */
    @Test
    void shouldRollTheHeadCycleWithoutAnAppendAndThenCompactIt() throws Exception {
        f = new CompactionFixture(dir);
        f.start(null);
        long deferred = f.accept(List.of("a@x.org", "b@x.org"), 50_000);
        long delivered = f.accept(List.of("c@x.org"), 50_000);
        Path burst = single(f.cycleFiles("bodies"));
        f.deliver(delivered, 0);
        f.deliver(deferred, 0);
        f.defer(deferred, 1);

        f.time.advanceMillis(1000);
        soon().until(() -> f.cycleFiles("bodies").size() == 2); // rolled by the writer, no message appended
        f.time.advanceMillis(CompactionFixture.COMPACT_AFTER.toMillis() + 1000);
        soon().until(() -> !Files.exists(burst));

        long newIndex = f.journal.relocations().lookup(deferred);
        assertThat(newIndex).isGreaterThan(f.queuedIndex.get(deferred));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(f.readById(deferred, f.queuedIndex.get(deferred), body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(deferred));
        f.stop();

        RecoveryResult recovered = f.start(null);
        assertThat(recovered.pending().pendingMessages()).isEqualTo(1);
        assertThat(recovered.pending().get(deferred).bodiesIndex()).isEqualTo(newIndex);
        f.stop();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JournalDump.dump(dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains(MessageIds.format(deferred)))).hasSize(1);
    }

    /** Issue 9 item 3: on a short disk an ended cycle holding few pending messages is emptied at once. */
    @Test
    void shouldEmptyAYoungCycleAtOnceWhenTheDiskIsShortAndFewOfItsMessagesArePending() throws Exception {
        f = new CompactionFixture(dir);
        // short (free below twice min_free), but far from full (the copy guard is min_free / 4 + 8 MiB)
        f.minFreeBytes = () -> f.journal.freeBytes() * 3 / 4;
        f.start(null);
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(f.accept(List.of("r" + i + "@x.org"), 10_000));
        }
        Path young = single(f.cycleFiles("bodies"));
        for (int i = 0; i < 7; i++) {
            f.deliver(ids.get(i), 0);
        }
        long deferred = ids.get(7);
        f.defer(deferred, 0);

        f.time.advanceMillis(1000); // the cycle has ended; compact_after (3 s) is far off
        soon().until(() -> !Files.exists(young));
        assertThat(f.journal.relocations().lookup(deferred)).isGreaterThan(f.queuedIndex.get(deferred));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(f.readById(deferred, f.queuedIndex.get(deferred), body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(deferred));
        assertThat(f.journal.compactionStats().messagesRelocated()).isEqualTo(1);
    }

    /** ... but a young cycle still full of pending mail (a destination down) is not copied round. */
    @Test
    void shouldNotCopyAYoungCycleFullOfPendingMailWhenTheDiskIsShort() throws Exception {
        f = new CompactionFixture(dir);
        f.minFreeBytes = () -> f.journal.freeBytes() * 3 / 4;
        f.start(null);
        for (int i = 0; i < 8; i++) {
            f.accept(List.of("r" + i + "@x.org"), 10_000);
        }
        Path young = single(f.cycleFiles("bodies"));
        for (int s = 0; s < 2; s++) {
            f.time.advanceMillis(1000);
            Thread.sleep(300); // a compaction check per second of journal time
        }
        assertThat(young).exists();
        assertThat(f.journal.compactionStats().messagesRelocated()).isZero();
    }

    @Test
    void shouldKeepTheOldCycleUntilTheRelocationIsDurable() throws Exception {
        GateSyncer syncer = new GateSyncer();
        OneDeferred one = oneDeferred(syncer);
        long id = one.id();
        long oldIndex = one.oldIndex();
        Path firstCycle = one.firstCycle();

        syncer.hold = true;
        f.time.advanceMillis(5000);
        assertThat(syncer.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The copy and its RELOCATED are appended but not yet synced: nothing may be deleted or published.
        assertThat(firstCycle).exists();
        assertThat(f.journal.relocations().lookup(id)).isEqualTo(-1);
        assertThat(f.readById(id, oldIndex, null)).isNotNull();
        syncer.release.countDown();

        soon().until(() -> !Files.exists(firstCycle));
        assertThat(f.journal.relocations().lookup(id)).isGreaterThan(oldIndex);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(f.readById(id, oldIndex, body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(id));
    }

    @Test
    void shouldNotDeleteTheOldCycleWhenTheRelocationSyncFails() throws Exception {
        GateSyncer syncer = new GateSyncer();
        OneDeferred one = oneDeferred(syncer);
        long id = one.id();
        long oldIndex = one.oldIndex();
        Path firstCycle = one.firstCycle();

        syncer.fail = true;
        f.time.advanceMillis(5000);
        soon().until(() -> f.writer.failure() != null);
        assertThat(firstCycle).exists();
        assertThat(f.journal.relocations().lookup(id)).isEqualTo(-1);
        f.stop();

        // A restart reads the message where recovery says it is, then finishes the compaction.
        RecoveryResult recovered = f.start(null);
        long index = recovered.pending().get(id).bodiesIndex();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(f.readById(id, index, body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(id));
        f.time.advanceMillis(5000);
        soon().until(() -> !Files.exists(firstCycle));
        body.reset();
        assertThat(f.readById(id, oldIndex, body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(id));
    }

    @Test
    void shouldNeverDeleteACycleWhosePendingMessageCannotBeCopied() throws Exception {
        f = new CompactionFixture(dir);
        f.start(null);
        long delivered = f.accept(List.of("a@x.org"), 1000);
        f.deliver(delivered, 0);
        Path firstCycle = single(f.cycleFiles("bodies"));
        long wrongIndex = f.queuedIndex.get(delivered);
        f.stop();
        // A pending message whose QUEUED points at another message's record (as after a torn power loss).
        long broken = delivered + 1;
        try (Journal journal = Journal.open(TestJournals.settings(dir,
                io.sluice.config.JournalSettings.SyncPolicy.BATCH), TestJournals.MAX_MESSAGE,
                net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY, f.time);
             net.openhft.chronicle.queue.ExcerptAppender state = journal.state().createAppender();
             net.openhft.chronicle.wire.DocumentContext dc = state.writingDocument()) {
            byte[] block = RecipientBlock.encode(List.of("b@x.org"));
            StateEncoder.writeQueued(dc.wire().bytes(), broken, wrongIndex, 1, 1, block,
                io.sluice.model.RouteInputs.UNKNOWN);
        }

        RecoveryResult recovered = f.start(null);
        assertThat(recovered.pending().get(broken)).isNotNull();
        f.time.advanceMillis(5000);
        soon().until(() -> f.journal.compactionStats().relocationFailures() > 0);
        f.time.advanceMillis(1000);
        f.accept(List.of("c@x.org"), 100); // another writer cycle, after the pass has finished
        assertThat(firstCycle).exists();
        assertThat(f.journal.compactionStats().bodiesCyclesDeleted()).isZero();
    }

    private static Path single(List<Path> files) {
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    /** Delegates to the real syncer; when armed, blocks until released, or fails. */
    /** One message in the first bodies/ cycle, deferred, so that compaction will relocate it. */
    private record OneDeferred(long id, long oldIndex, Path firstCycle) {
    }

    private OneDeferred oneDeferred(GateSyncer syncer) throws Exception {
        f = new CompactionFixture(dir);
        f.start(syncer);
        long id = f.accept(List.of("a@x.org"), 10_000);
        OneDeferred one = new OneDeferred(id, f.queuedIndex.get(id), single(f.cycleFiles("bodies")));
        f.defer(id, 0);
        return one;
    }

    static final class GateSyncer implements Syncer {
        final ChronicleSyncer delegate = new ChronicleSyncer();
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        volatile boolean hold;
        volatile boolean fail;

        @Override
        public void sync(SyncTarget target) throws java.io.IOException {
            if (fail) {
                throw new java.io.IOException("injected sync failure");
            }
            if (hold) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.sync(target);
        }

        @Override
        public void close() throws java.io.IOException {
            delegate.close();
        }
    }
}
