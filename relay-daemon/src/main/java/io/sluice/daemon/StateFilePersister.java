package io.sluice.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a small state file of the scheduler's ({@code shaping.state}, {@code warmup.state}) in the journal
 * directory off the scheduler thread: the scheduler hands each new state over ({@link #changed}, no I/O, no waiting)
 * and one daemon thread writes the latest (states that were overtaken are skipped: only the newest matters). What
 * changed a moment before a crash may be lost with its write (the state's owner says what that costs); a clean stop
 * writes it ({@link #flush}). A failed write is logged and retried with the next change.
 *
 * @param <T> the state
 */
final class StateFilePersister<T> {
    private static final Logger LOG = LoggerFactory.getLogger(StateFilePersister.class);

    /** Writes one state to the directory (e.g. {@code ShapingState::write}). */
    @FunctionalInterface
    interface Writer<T> {
        void write(T state, Path dir) throws IOException;
    }

    private final Path dir;
    private final String fileName;
    private final Writer<T> writer;
    private final AtomicReference<T> latest = new AtomicReference<>();
    private final java.util.concurrent.ExecutorService thread;

    StateFilePersister(Path dir, String fileName, Writer<T> writer) {
        this.dir = dir;
        this.fileName = fileName;
        this.writer = writer;
        this.thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-state-" + fileName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The scheduler's new state; written soon. Any thread. */
    void changed(T state) {
        if (latest.getAndSet(state) == null) {
            try {
                thread.execute(this::writeLatest);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                writeLatest(); // after flush (stopping): write it here
            }
        }
    }

    /** Writes the latest state now, on the calling thread, and stops the writer thread (a clean stop). */
    void flush() {
        writeLatest();
        thread.shutdown();
    }

    private synchronized void writeLatest() {
        T state = latest.getAndSet(null);
        if (state == null) {
            return;
        }
        try {
            writer.write(state, dir);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write {} in {}: {}", fileName, dir, e.toString());
        }
    }
}
