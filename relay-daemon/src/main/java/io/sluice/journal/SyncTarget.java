package io.sluice.journal;

import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * The writer's two appenders and their queue directories, handed to a {@link Syncer}. Only the writer thread may
 * use it (Chronicle appenders are single-threaded); it hides Chronicle types outside this package.
 */
public final class SyncTarget {
    private final ExcerptAppender bodies;
    private final ExcerptAppender state;
    private final Path bodiesDir;
    private final Path stateDir;

    SyncTarget(ExcerptAppender bodies, ExcerptAppender state, Path bodiesDir, Path stateDir) {
        this.bodies = bodies;
        this.state = state;
        this.bodiesDir = bodiesDir;
        this.stateDir = stateDir;
    }

    ExcerptAppender bodies() {
        return bodies;
    }

    ExcerptAppender state() {
        return state;
    }

    Path bodiesDir() {
        return bodiesDir;
    }

    Path stateDir() {
        return stateDir;
    }
}
