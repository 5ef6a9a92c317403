package io.sluice.journal;

/**
 * Completion of {@link JournalWriter#offer}. Both methods run on the journal writer thread, so an implementation
 * must only hand off (e.g. {@code channel.eventLoop().execute(...)}) and return quickly: the next group commit
 * waits for it. Exceptions thrown here are logged and otherwise ignored.
 */
public interface AppendCallback {
    /**
     * The ACCEPTED and QUEUED records are durable per {@code journal.sync}: with {@code batch}, a sync of both
     * {@code bodies/} and {@code state/} covering them has returned; with {@code none}, they are appended (they
     * survive a process crash, not a power loss). Only now may the session reply 250.
     *
     * @param bodiesIndex Chronicle index of the ACCEPTED record in {@code bodies/}
     */
    void appended(AcceptedMessage message, long bodiesIndex);

    /**
     * The message is not (reliably) in the journal: invalid for the journal's limits, an append error, a failed
     * sync, or the writer closed. The session should reply with a temporary failure (451).
     */
    void failed(AcceptedMessage message, Throwable cause);
}
