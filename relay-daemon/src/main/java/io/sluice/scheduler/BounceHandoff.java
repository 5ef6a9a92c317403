package io.sluice.scheduler;

import java.util.ArrayDeque;

/**
 * Hands given-up recipients to the {@link BounceSink} without ever dropping one: when the sink is full the
 * recipient waits in a FIFO backlog, offered again by {@link #flush} on every scheduler cycle, and later ones queue
 * behind it. While a recipient waits here its OUTCOME is not written, so it stays pending in the journal: a restart
 * before the sink takes it decides it again. Scheduler thread only.
 */
final class BounceHandoff {
    private final BounceSink sink;
    private final ArrayDeque<GivenUp> backlog = new ArrayDeque<>();

    BounceHandoff(BounceSink sink) {
        this.sink = sink;
    }

    void offer(GivenUp failure) {
        if (!backlog.isEmpty() || !sink.offer(failure)) {
            backlog.addLast(failure);
        }
    }

    /** Offers backlogged recipients in order until the sink refuses one; returns how many went through. */
    int flush() {
        int n = 0;
        GivenUp g;
        while ((g = backlog.peekFirst()) != null && sink.offer(g)) {
            backlog.pollFirst();
            n++;
        }
        return n;
    }

    int backlog() {
        return backlog.size();
    }
}
