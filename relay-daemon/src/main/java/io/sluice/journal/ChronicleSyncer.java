package io.sluice.journal;

import java.io.IOException;

/**
 * The default {@link Syncer}: {@code appender.sync()} on {@code bodies/} then {@code state/} (an
 * {@code msync(MS_SYNC)} of the range written since the last sync, because the queues are built with
 * {@code SyncMode.SYNC}), each followed by {@link CycleFileSync} for new cycle files, their directory and new
 * chunks; after the commit ({@link #afterCommit}) {@link WritePageAdvice}, so that the next msync writes only
 * appended pages. One instance per writer.
 *
 * <p>Limit: the kernel may write back {@code state/} pages before this runs, so after a power loss a QUEUED record
 * can survive whose ACCEPTED did not. Such a message was never acknowledged (its sync never returned); a reader
 * that finds no body at a QUEUED's bodies index must treat the message as never accepted.
 */
public final class ChronicleSyncer implements Syncer {
    private CycleFileSync bodiesFiles;
    private CycleFileSync stateFiles;
    private final WritePageAdvice bodiesPages = new WritePageAdvice("bodies");
    private final WritePageAdvice statePages = new WritePageAdvice("state");

    @Override
    public void sync(SyncTarget target) throws IOException {
        if (bodiesFiles == null) {
            bodiesFiles = new CycleFileSync(target.bodiesDir());
            stateFiles = new CycleFileSync(target.stateDir());
        }
        target.bodies().sync();
        bodiesFiles.afterMsync(target.bodies().currentFile());
        target.state().sync();
        stateFiles.afterMsync(target.state().currentFile());
    }

    /** {@link WritePageAdvice} for both queues, once the commit's 250s are out. */
    @Override
    public void afterCommit(SyncTarget target) {
        bodiesPages.afterWrite(target.bodies());
        statePages.afterWrite(target.state());
    }

    @Override
    public void close() throws IOException {
        if (bodiesFiles != null) {
            bodiesFiles.close();
            stateFiles.close();
        }
    }
}
