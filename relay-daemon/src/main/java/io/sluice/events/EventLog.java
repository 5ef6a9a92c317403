package io.sluice.events;

import io.sluice.config.EventsSettings;
import io.sluice.journal.BodyConsumer;
import io.sluice.journal.EventStream;
import io.sluice.journal.JournalFullException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events stage (docs/architecture.md "Observability"): takes lifecycle events from any thread through a bounded
 * MPSC queue, appends each as one JSON object to the journal's {@code events/} stream, and tails that stream (named
 * reader {@code json-log}, so it resumes after a restart) into the rotated JSON-lines file of {@code events.*}.
 *
 * <p>Never holds back mail: publishers are event loops and the scheduler, which must not wait, so when the queue is
 * full, or the journal's disk has no room for it, an event is dropped and counted ({@link #dropped}, exported as
 * {@code sluice_events_dropped_total}, alert {@code SluiceEventsLost}); the stream is trimmed to
 * {@code events.max_stream_size} every {@link #TRIM_INTERVAL_MS} ms; a JSON log reader that falls behind the trim loses
 * events and the loss is logged and counted ({@link #gaps}, {@code sluice_event_log_gaps_total}). Mail's own outcomes
 * never depend on events: they are in the journal.
 *
 * <p>Threading: one agent thread ({@code sluice-events}) owns the stream writer, the reader and the file; it parks
 * when idle. {@link #close} stops it after writing and exporting everything already published.
 */
public final class EventLog implements EventPublisher, AutoCloseable {
    /** Events that may wait for the event thread. */
    public static final int QUEUE_CAPACITY = 64 * 1024;
    static final long TRIM_INTERVAL_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final ManyToOneConcurrentArrayQueue<LifecycleEvent> queue = new ManyToOneConcurrentArrayQueue<>(
            QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Worker worker;
    private final AgentRunner runner;

    private EventLog(EventStream stream, EventsSettings settings) throws IOException {
        this.worker = new Worker(stream, settings);
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(20)),
                e -> LOG.error("event log error", e), null, worker);
    }

    /** Opens the log file and starts the event thread. */
    public static EventLog start(EventStream stream, EventsSettings settings) throws IOException {
        EventLog log = new EventLog(stream, settings);
        AgentRunner.startOnThread(log.runner);
        return log;
    }

    @Override
    public boolean publish(LifecycleEvent event) {
        if (queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Events dropped because the queue was full or the journal's disk had no room. */
    public long dropped() {
        return dropped.get();
    }

    /** Times the JSON log fell behind the stream's size cap and lost events. */
    public long gaps() {
        return worker.reader.gaps();
    }

    @Override
    public void close() {
        runner.close();
    }

    /** The agent: queue to stream, stream to file, trim. */
    private final class Worker implements Agent {
        private final EventStream stream;
        private final EventStream.Writer writer;
        private final EventStream.Reader reader;
        private final JsonLogFile file;
        private final long maxStreamBytes;
        private final StringBuilder json = new StringBuilder(512);
        /** {@link #json} as bytes when it is ASCII (grown as needed); other text goes through one String. */
        private byte[] ascii = new byte[512];
        /** Fields, not method references in doWork: a cycle allocates nothing. */
        private final Consumer<LifecycleEvent> appendEvent = this::append;
        private final BodyConsumer exportLine = this::export;
        private long nextTrimMillis;
        private long reportedGaps;
        private IOException fileError;

        Worker(EventStream stream, EventsSettings settings) throws IOException {
            this.stream = stream;
            this.writer = stream.writer();
            this.reader = stream.reader("json-log");
            this.file = new JsonLogFile(settings.logFile(), settings.logMaxSize(), settings.logMaxFiles());
            this.maxStreamBytes = settings.maxStreamBytes();
        }

        @Override
        public int doWork() throws IOException {
            int work = queue.drain(appendEvent, 1024);
            int exported = 0;
            while (exported < 1024 && reader.next(exportLine)) {
                exported++;
            }
            if (exported > 0) {
                file.flush();
            }
            long now = System.currentTimeMillis();
            if (now >= nextTrimMillis) {
                nextTrimMillis = now + TRIM_INTERVAL_MS;
                stream.trimTo(maxStreamBytes);
            }
            if (reader.gaps() != reportedGaps) {
                reportedGaps = reader.gaps();
                LOG.warn("the JSON event log fell behind events.max_stream_size and lost events ({} gaps so far)",
                        reportedGaps);
            }
            return work + exported;
        }

        private void append(LifecycleEvent event) {
            json.setLength(0);
            EventJson.append(event, json);
            int length = asciiBytes();
            try {
                if (length >= 0) {
                    writer.append(ascii, 0, length);
                } else {
                    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
                    writer.append(bytes, 0, bytes.length);
                }
            } catch (JournalFullException e) {
                dropped.incrementAndGet(); // the journal's disk is full: lost like a full queue, and counted
            }
        }

        /** Copies {@link #json} into {@link #ascii} and returns its length, or -1 if it is not all ASCII. */
        private int asciiBytes() {
            int n = json.length();
            if (ascii.length < n) {
                ascii = new byte[Math.max(n, ascii.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                char c = json.charAt(i);
                if (c >= 0x80) {
                    return -1;
                }
                ascii[i] = (byte) c;
            }
            return n;
        }

        private void export(byte[] line, int offset, int length) {
            try {
                file.writeLine(line, offset, length);
            } catch (IOException e) {
                if (fileError == null) {
                    LOG.error("cannot write the JSON event log; events stay in the events/ stream", e);
                }
                fileError = e;
            }
        }

        @Override
        public void onClose() {
            try {
                queue.drain(appendEvent);
                while (reader.next(exportLine)) {
                    // export everything before stopping
                }
                file.close();
            } catch (IOException e) {
                LOG.warn("closing the JSON event log failed", e);
            } finally {
                reader.close();
                writer.close();
            }
        }

        @Override
        public String roleName() {
            return "sluice-events";
        }
    }
}
