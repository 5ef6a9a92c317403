package io.sluice.bench.jmh;

import io.sluice.config.JournalSettings;
import io.sluice.config.JournalSettings.SyncPolicy;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.Recovery;
import io.sluice.journal.WriterOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of the journal write path ({@link JournalWriter}: MPSC queue, writer agent, ACCEPTED +
 * QUEUED records in Chronicle, group commit, callback) for 5 KiB messages with one recipient, per
 * {@code journal.sync} policy ({@code none}, {@code batch}).
 *
 * <p>The writer is asynchronous, so one invocation offers a burst of {@value #BURST} messages (as many sessions
 * finishing DATA at once would) and parks until every callback has run; {@link OperationsPerInvocation} makes the
 * score messages per second. With {@code batch}, the burst is group-committed in a few msyncs: the score is
 * throughput under that much concurrency, not the latency of one message.
 *
 * <p>Reuse: one direct body buffer (like the session's pooled text buffer) and one recipient list are shared by all
 * messages; the single writer thread copies the body and restores its position, and the benchmark never touches
 * it. {@link AcceptedMessage} cannot be reused: its id is final and an id stays pending (the writer refuses a
 * duplicate) until an OUTCOME, which this benchmark does not write. So each message costs one
 * {@code AcceptedMessage} here (the session allocates one per message as well), plus what the writer retains in its
 * pending set by design (entry, recipient block, amortised map growth). {@code -prof gc} counts every thread,
 * the writer included.
 *
 * <p>Disk and heap stay bounded: each iteration gets a fresh journal under a temporary directory and deletes it at
 * the end (open, close and delete fall inside the iteration's GC window but outside its timing); the whole directory
 * goes at trial teardown. Checkpoints are pushed out to one hour and none is written at close, so only appends are
 * measured. The fork gets the JVM flags Chronicle and Agrona need on Java 17 (the same list as the root pom.xml
 * property sluice.jvm.flags).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true"})
public class JournalAppendBenchmark {
    /** Messages offered per invocation before waiting for their callbacks. */
    static final int BURST = 1000;
    static final int MESSAGE_BYTES = 5 * 1024;
    /** {@code smtp.max_message_size}: sizes the bodies/ block as the daemon would. */
    static final long MAX_MESSAGE_BYTES = 10L << 20;
    static final long AWAIT_TIMEOUT_SECONDS = 60;

    /** {@code journal.sync}: none (append only) or batch (group-commit msync before the callback). */
    @Param({"none", "batch"})
    public String sync;

    private SyncPolicy policy;
    private Path baseDir;
    private Path iterationDir;
    private int iterationNumber;
    private Journal journal;
    private JournalWriter writer;
    private final AppendCompletion completion = new AppendCompletion();
    private final List<String> recipients = List.of("alice@customer.example");
    private ByteBuffer body;

    @Setup(Level.Trial)
    public void setUpTrial() throws IOException {
        policy = SyncPolicy.valueOf(sync.toUpperCase(java.util.Locale.ROOT));
        baseDir = Files.createTempDirectory("sluice-jmh-journal-");
        byte[] text = PipelinedTransaction.of(MESSAGE_BYTES).storedText();
        body = ByteBuffer.allocateDirect(text.length).put(text).flip();
    }

    @Setup(Level.Iteration)
    public void openJournal() throws IOException {
        iterationDir = baseDir.resolve("iteration-" + (++iterationNumber));
        journal = Journal.open(new JournalSettings(iterationDir, policy, 0, Duration.ofHours(1)), MAX_MESSAGE_BYTES);
        writer = JournalWriter.start(journal, Recovery.recover(journal),
            new WriterOptions().checkpointInterval(Duration.ofHours(1)).checkpointOnClose(false));
    }

    @TearDown(Level.Iteration)
    public void closeJournal() throws IOException {
        try {
            if (writer != null) {
                writer.close();
            }
            if (journal != null) {
                journal.close();
            }
        } finally {
            writer = null;
            journal = null;
            TempDirs.deleteRecursively(iterationDir);
        }
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws IOException {
        TempDirs.deleteRecursively(baseDir);
    }

    /** Offers {@value #BURST} messages, then waits until the writer has called back every one of them. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long appendBurst() {
        completion.expect(BURST);
        for (int i = 0; i < BURST; i++) {
            AcceptedMessage m = new AcceptedMessage(journal.nextMessageId(), System.currentTimeMillis(), "main",
                "127.0.0.1", "client.shop.example", null, "orders@shop.example", recipients, body);
            while (!writer.offer(m, completion)) {
                if (writer.failure() != null) {
                    throw new IllegalStateException("journal writer failed", writer.failure());
                }
                Thread.yield();
            }
        }
        completion.await(writer, AWAIT_TIMEOUT_SECONDS);
        return completion.lastBodiesIndex();
    }
}
