package io.sluice.journal;

import static org.awaitility.Awaitility.await;

import io.sluice.config.JournalSettings.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * A real journal in a temp dir with one-second cycles on a settable clock (shared by the queues and the writer),
 * compacting after {@link #COMPACT_AFTER}, plus the bookkeeping compaction tests need: bodies and indexes as
 * accepted, outcomes and deferrals awaited until recorded, cycle files counted.
 */
final class CompactionFixture implements AutoCloseable {
    static final Duration COMPACT_AFTER = Duration.ofSeconds(3);
    static final long T0_MILLIS = 1_790_000_000_000L;

    final Path dir;
    final SetTimeProvider time;
    final Map<Long, byte[]> bodies = new ConcurrentHashMap<>();
    final Map<Long, Long> queuedIndex = new ConcurrentHashMap<>();
    final Map<Long, Long> receivedAt = new ConcurrentHashMap<>();
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(7);
    Journal journal;
    JournalWriter writer;
    /** {@code journal.min_free} for the writer; null: the journal's settings. */
    java.util.function.LongSupplier minFreeBytes;

    CompactionFixture(Path dir) {
        this(dir, new SetTimeProvider(T0_MILLIS * 1_000_000L));
    }

    CompactionFixture(Path dir, SetTimeProvider time) {
        this.dir = dir;
        this.time = time;
    }

    /** Opens the journal, recovers, starts a writer; returns the recovery. */
    RecoveryResult start(Syncer syncer) throws IOException {
        journal = Journal.open(TestJournals.settings(dir, SyncPolicy.BATCH), TestJournals.MAX_MESSAGE,
            TestRollCycles.TEST_SECONDLY, time);
        RecoveryResult recovered = Recovery.recover(journal);
        WriterOptions options = new WriterOptions()
            .compactAfter(COMPACT_AFTER)
            .clock(time::currentTimeMillis)
            .checkpointInterval(Duration.ofSeconds(2))
            .maxParkNanos(2_000_000)
            .outcomeListener((id, rcpt, outcome, ok) -> recorded.add("o" + id + "/" + rcpt + "/" + ok))
            .deferredListener((id, rcpt, attempts, due, ok) -> recorded.add("d" + id + "/" + rcpt + "/" + ok));
        if (syncer != null) {
            options.syncer(syncer);
        }
        if (minFreeBytes != null) {
            options.minFreeBytes(minFreeBytes);
        }
        writer = JournalWriter.start(journal, recovered, options);
        return recovered;
    }

    /** Accepts a message of {@code size} random bytes and waits until it is durable; returns its id. */
    long accept(List<String> recipients, int size) throws InterruptedException {
        long id = journal.nextMessageId();
        byte[] body = new byte[size];
        random.nextBytes(body);
        long at = time.currentTimeMillis() - 5_000 - random.nextInt(1000);
        TestJournals.Recorder recorder = new TestJournals.Recorder(1);
        if (!writer.offer(new AcceptedMessage(id, at, "main", "127.0.0.1", "helo", null, "s@x.org", recipients,
            ByteBuffer.wrap(body)), recorder)) {
            throw new AssertionError("offer refused");
        }
        recorder.await();
        if (recorder.failed.containsKey(id)) {
            throw new AssertionError("append failed", recorder.failed.get(id));
        }
        bodies.put(id, body);
        queuedIndex.put(id, recorder.appended.get(id));
        receivedAt.put(id, at);
        return id;
    }

    void deliver(long id, int recipient) {
        writer.offerOutcome(id, recipient, OutcomeCode.DELIVERED, time.currentTimeMillis());
        soon().until(() -> recorded.contains("o" + id + "/" + recipient + "/true"));
    }

    void defer(long id, int recipient) {
        writer.offerDeferred(id, recipient, 1, time.currentTimeMillis() + 86_400_000L, 451, "4.7.1 later");
        soon().until(() -> recorded.contains("d" + id + "/" + recipient + "/true"));
    }

    /**
     * Awaitility polling every 2 ms (the writer parks at most 2 ms here) for up to 30 s: on a shared, loaded
     * machine one msync can take seconds.
     */
    static org.awaitility.core.ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(30));
    }

    /** Cycle files ({@code .cq4}) of one queue. */
    List<Path> cycleFiles(String queue) {
        try (Stream<Path> files = Files.list(dir.resolve(queue))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a message by id through a fresh reader; null if not found. */
    AcceptedRecord readById(long id, long hint, java.io.ByteArrayOutputStream body) {
        try (BodiesReader reader = BodiesReader.open(journal)) {
            AcceptedRecord record = new AcceptedRecord();
            return reader.read(id, hint, record, body == null ? null : body::write) ? record : null;
        }
    }

    void stop() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
