package io.sluice.daemon;

import io.sluice.scheduler.ShapingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the shaping actions in force to {@code shaping.state} in the journal directory ({@link ShapingState#write})
 * off the scheduler thread: the scheduler hands each new state over ({@link #changed}, no I/O, no waiting) and one
 * daemon thread writes the latest (states that were overtaken are skipped: only the newest matters). An action
 * applied a moment before a crash may be lost with its write; the next matching reply applies it again. A failed
 * write is logged and retried with the next change.
 */
final class ShapingPersister {
    private static final Logger LOG = LoggerFactory.getLogger(ShapingPersister.class);
    private final Path dir;
    private final AtomicReference<ShapingState> latest = new AtomicReference<>();
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "sluice-shaping-state");
                t.setDaemon(true);
                return t;
            });

    ShapingPersister(Path dir) {
        this.dir = dir;
    }

    /** The scheduler's new state; written soon. Any thread. */
    void changed(ShapingState state) {
        if (latest.getAndSet(state) == null) {
            writer.execute(this::writeLatest);
        }
    }

    private void writeLatest() {
        ShapingState state = latest.getAndSet(null);
        if (state == null) {
            return;
        }
        try {
            state.write(dir);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write {} in {}: {}", ShapingState.FILE_NAME, dir, e.toString());
        }
    }
}
