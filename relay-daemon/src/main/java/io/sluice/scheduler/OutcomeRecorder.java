package io.sluice.scheduler;

import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import io.sluice.model.BounceReason;
import io.sluice.util.OrderedBacklog;

/**
 * Writes the scheduler's decisions to the journal (OUTCOME and DEFERRED records) without ever dropping one: when
 * the writer's buffer is full the record waits in an {@link OrderedBacklog}, retried by {@link #flush} on every
 * scheduler cycle, and later records queue behind it so a recipient's DEFERRED never overtakes its OUTCOME.
 * Allocates only while backlogged. Scheduler thread only.
 */
final class OutcomeRecorder {
    private record Pending(long messageId, int recipientIndex, OutcomeCode outcome, long timeMillis, int attempts,
                           long nextDueMillis, int code, String text, String mxHost, BounceReason reason) {
    }

    private final JournalWriter writer;
    private final OrderedBacklog<Pending> backlog = new OrderedBacklog<>(this::offer);

    OutcomeRecorder(JournalWriter writer) {
        this.writer = writer;
    }

    /** {@code reason}: the bounce reason the OUTCOME carries ({@code delivered} for a delivery). */
    void outcome(long messageId, int recipientIndex, OutcomeCode outcome, BounceReason reason, long nowMillis) {
        if (!backlog.isEmpty() || !writer.offerOutcome(messageId, recipientIndex, outcome, reason, nowMillis)) {
            backlog.add(new Pending(messageId, recipientIndex, outcome, nowMillis, 0, 0, 0, null, null, reason));
        }
    }

    /** {@code mxHost}: whose reply it was; null when Sluice decided it. {@code reason}: the reply's bounce reason. */
    void deferred(long messageId, int recipientIndex, int attempts, long nextDueMillis, int code, String text,
                  String mxHost, BounceReason reason) {
        if (!backlog.isEmpty() || !writer.offerDeferred(messageId, recipientIndex, attempts, nextDueMillis, code,
                text, mxHost, reason)) {
            backlog.add(new Pending(messageId, recipientIndex, null, 0, attempts, nextDueMillis, code, text,
                    mxHost, reason));
        }
    }

    private boolean offer(Pending p) {
        return p.outcome() != null
                ? writer.offerOutcome(p.messageId(), p.recipientIndex(), p.outcome(), p.reason(), p.timeMillis())
                : writer.offerDeferred(p.messageId(), p.recipientIndex(), p.attempts(), p.nextDueMillis(), p.code(),
                        p.text(), p.mxHost(), p.reason());
    }

    /** Offers backlogged records in order until the writer refuses one; returns how many went through. */
    int flush() {
        return backlog.flush();
    }

    int backlog() {
        return backlog.size();
    }
}
