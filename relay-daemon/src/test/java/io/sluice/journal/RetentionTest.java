package io.sluice.journal;

import static io.sluice.journal.CompactionFixture.soon;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk use stays bounded in a loop of "accept, deliver, advance the clock" while one message is deferred forever:
 * {@code bodies/} keeps only cycles younger than {@code compact_after} (plus the one copy of the deferred message),
 * {@code state/} only cycles from the last durable checkpoint on; the deferred message reads back at every step and
 * recovery afterwards gives exactly the state before the restart.
 */
class RetentionTest {
    /** Cycles younger than compact_after (3 s of 1 s cycles), the current one, and one of slack for timing. */
    private static final int MAX_BODIES_FILES = 6;
    /** As above, plus the cycles back to the last checkpoint (written every 2 s). */
    private static final int MAX_STATE_FILES = 8;

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
    void shouldKeepDiskUseBoundedWhileOneMessageIsDeferredForever() throws Exception {
        f = new CompactionFixture(dir);
        // No msync: this test is about which files exist, not durability (CompactionTest covers the sync order),
        // and a shared disk's msync latency would only slow it down.
        Syncer noSync = target -> { };
        f.start(noSync);
        long stuck = f.accept(List.of("slow@x.org"), 50_000);
        f.defer(stuck, 0);
        long queuedAt = f.queuedIndex.get(stuck);
        // A delivery-stage reader on its own thread keeps reading the stuck message by the index it was queued
        // with while cycles are deleted under it: it must always find the message, byte-identical.
        AtomicLong reads = new AtomicLong();
        AtomicReference<String> readerError = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> readUntilStopped(stuck, queuedAt, reads, readerError, stop));
        reader.start();
        // Messages that stay pending for a few steps each, so pending mail sits in many cycles, all readable.
        Map<Long, Integer> lingering = new HashMap<>();

        for (int step = 0; step < 30; step++) {
            long id = f.accept(List.of("fast@x.org", "other@x.org"), 2_000 + step);
            f.deliver(id, 0);
            if (step % 3 == 0) {
                f.defer(id, 1);
                lingering.put(id, step + 4 + step % 5);
            } else {
                f.deliver(id, 1);
            }
            for (Map.Entry<Long, Integer> e : new ArrayList<>(lingering.entrySet())) {
                if (e.getValue() == step) {
                    f.deliver(e.getKey(), 1);
                    lingering.remove(e.getKey());
                }
            }
            f.time.advanceMillis(1000);
            soon()
                .untilAsserted(() -> {
                    assertThat(f.cycleFiles("bodies").size()).isLessThanOrEqualTo(MAX_BODIES_FILES);
                    assertThat(f.cycleFiles("state").size()).isLessThanOrEqualTo(MAX_STATE_FILES);
                });
            for (long pendingId : concat(stuck, lingering.keySet())) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                assertThat(f.readById(pendingId, f.queuedIndex.get(pendingId), body)).as("step " + step).isNotNull();
                assertThat(body.toByteArray()).isEqualTo(f.bodies.get(pendingId));
            }
        }
        stop.set(true);
        reader.join();
        assertThat(readerError.get()).isNull();
        assertThat(reads.get()).isGreaterThan(30);
        for (long id : lingering.keySet()) {
            f.deliver(id, 1);
        }

        CompactionStats stats = f.journal.compactionStats();
        assertThat(stats.bodiesCyclesDeleted()).isGreaterThanOrEqualTo(20);
        assertThat(stats.stateCyclesDeleted()).isGreaterThanOrEqualTo(15);
        assertThat(stats.messagesRelocated()).as("the stuck message moves forward again and again")
            .isGreaterThanOrEqualTo(5);
        assertThat(stats.relocationFailures()).isZero();
        long lastIndex = f.journal.relocations().lookup(stuck);
        f.stop();

        RecoveryResult recovered = f.start(noSync);
        assertThat(recovered.fromCheckpoint()).isTrue();
        Map<Long, TestJournals.Entry> after = TestJournals.snapshot(recovered.pending());
        assertThat(after).containsOnlyKeys(stuck);
        TestJournals.Entry e = after.get(stuck);
        assertThat(e.bodiesIndex()).isEqualTo(lastIndex);
        assertThat(e.receivedAtMillis()).isEqualTo(f.receivedAt.get(stuck));
        assertThat(e.pending()).containsExactly(true);
        assertThat(e.retries().get(0)).isNotZero();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(f.readById(stuck, e.bodiesIndex(), body)).isNotNull();
        assertThat(body.toByteArray()).isEqualTo(f.bodies.get(stuck));
    }

    private void readUntilStopped(long id, long hint, AtomicLong reads, AtomicReference<String> error,
                                  AtomicBoolean stop) {
        try (BodiesReader r = BodiesReader.open(f.journal)) {
            AcceptedRecord record = new AcceptedRecord();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (!stop.get() && error.get() == null) {
                body.reset();
                if (!r.read(id, hint, record, body::write)) {
                    error.set("not found after " + reads.get() + " reads");
                } else if (!java.util.Arrays.equals(body.toByteArray(), f.bodies.get(id))) {
                    error.set("different bytes after " + reads.get() + " reads");
                }
                reads.incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // leave the writer a core
            }
        } catch (RuntimeException e) {
            error.set(e.toString());
        }
    }

    private static List<Long> concat(long first, java.util.Collection<Long> rest) {
        List<Long> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }
}
