package io.sluice.journal;

/**
 * Running totals of journal compaction and retention since the journal was opened, for metrics and logs.
 *
 * <p>Threading: written only by the journal writer thread (plain increments of volatile fields, as
 * {@link PendingSet}'s counters), read from any thread.
 */
public final class CompactionStats {
    private volatile long messagesRelocated;
    private volatile long bytesRelocated;
    private volatile long bodiesCyclesDeleted;
    private volatile long stateCyclesDeleted;
    private volatile long relocationFailures;

    /** ACCEPTED records copied to the head of {@code bodies/} (with a durable RELOCATED). */
    public long messagesRelocated() {
        return messagesRelocated;
    }

    /** Bytes of those records. */
    public long bytesRelocated() {
        return bytesRelocated;
    }

    /** {@code bodies/} cycle files deleted. */
    public long bodiesCyclesDeleted() {
        return bodiesCyclesDeleted;
    }

    /** {@code state/} cycle files deleted (all before the last durable checkpoint). */
    public long stateCyclesDeleted() {
        return stateCyclesDeleted;
    }

    /** Pending messages that could not be copied (missing or unreadable record); their cycle stays. */
    public long relocationFailures() {
        return relocationFailures;
    }

    void relocated(long bytes) {
        messagesRelocated = messagesRelocated + 1;
        bytesRelocated = bytesRelocated + bytes;
    }

    void bodiesCycleDeleted() {
        bodiesCyclesDeleted = bodiesCyclesDeleted + 1;
    }

    void stateCycleDeleted() {
        stateCyclesDeleted = stateCyclesDeleted + 1;
    }

    void relocationFailed() {
        relocationFailures = relocationFailures + 1;
    }

    @Override
    public String toString() {
        return "CompactionStats[relocated " + messagesRelocated + " (" + bytesRelocated + " bytes), deleted "
            + bodiesCyclesDeleted + " bodies and " + stateCyclesDeleted + " state cycles, " + relocationFailures
            + " failures]";
    }
}
