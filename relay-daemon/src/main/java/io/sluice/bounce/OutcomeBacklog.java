package io.sluice.bounce;

import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import java.util.ArrayDeque;

/**
 * Writes the OUTCOME records the {@link DsnStage} owes without ever dropping or reordering one: when the journal
 * writer's buffer is full the outcome waits in a FIFO backlog, offered again by {@link #flush} on every cycle, and
 * later outcomes queue behind it. Allocates only while backlogged. DSN stage thread only.
 *
 * <p>Memory is bounded by the stage, not here: outcomes come from at most the DSNs in flight plus one inbox drain.
 */
final class OutcomeBacklog {
    private record Pending(long messageId, int recipientIndex, OutcomeCode outcome, long timeMillis) {
    }

    private final JournalWriter writer;
    private final ArrayDeque<Pending> backlog = new ArrayDeque<>();

    OutcomeBacklog(JournalWriter writer) {
        this.writer = writer;
    }

    void add(long messageId, int recipientIndex, OutcomeCode outcome, long timeMillis) {
        if (!backlog.isEmpty() || !writer.offerOutcome(messageId, recipientIndex, outcome, timeMillis)) {
            backlog.addLast(new Pending(messageId, recipientIndex, outcome, timeMillis));
        }
    }

    /** Offers backlogged outcomes in order until the writer refuses one; returns how many went through. */
    int flush() {
        int n = 0;
        Pending p;
        while ((p = backlog.peekFirst()) != null
                && writer.offerOutcome(p.messageId(), p.recipientIndex(), p.outcome(), p.timeMillis())) {
            backlog.pollFirst();
            n++;
        }
        return n;
    }

    int size() {
        return backlog.size();
    }
}
