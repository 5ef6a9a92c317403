package io.sluice.journal;

import java.io.IOException;

/**
 * Makes everything appended so far to {@code bodies/} and {@code state/} durable. The journal writer calls it once
 * per group commit, with {@code journal.sync: batch}, and runs the batch's {@link AppendCallback}s only after it
 * returns; it calls it again as soon as the previous call returned and new records are waiting.
 *
 * <p>The default is {@link ChronicleSyncer}. A test can wrap it with one that blocks on demand to prove that no
 * acknowledgement leaves before its sync returns. Called only on the writer thread. An exception marks the writer
 * failed for good (after a failed fsync the kernel may have dropped the dirty pages: retrying would lie).
 */
@FunctionalInterface
public interface Syncer {
    void sync(SyncTarget target) throws IOException;

    /**
     * Housekeeping after a group commit's callbacks ran (so it never delays a 250): for example preparing the pages
     * the next appends will use. Must not throw; the default does nothing.
     */
    default void afterCommit(SyncTarget target) {
    }

    /** Releases resources (open file channels); called once by the writer thread when the writer closes. */
    default void close() throws IOException {
    }
}
