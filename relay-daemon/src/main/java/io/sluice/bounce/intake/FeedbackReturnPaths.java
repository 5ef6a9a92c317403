package io.sluice.bounce.intake;

import io.sluice.model.VerpCodec;
import java.nio.ByteBuffer;
import io.sluice.delivery.ReturnPaths;
import io.sluice.scheduler.DeliveryTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop's side of each delivery attempt: records the transaction in the {@link FeedbackIndex} (when this
 * instance has one: it runs a feedback listener) and gives a task on a VERP route its signed return path
 * ({@link VerpCodec}; the task has one recipient, and the null sender is never rewritten). A failure to record is
 * logged, at most once a minute, and delivery goes on. Threading: the body reader thread.
 */
public final class FeedbackReturnPaths implements ReturnPaths {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackReturnPaths.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final VerpCodec verp;
    private final FeedbackIndex index;
    private long lastLoggedNanos = System.nanoTime() - LOG_EVERY_NANOS;

    /** @param index null: nothing is recorded (no feedback listener here) */
    public FeedbackReturnPaths(VerpCodec verp, FeedbackIndex index) {
        this.verp = verp;
        this.index = index;
    }

    @Override
    public String returnPath(DeliveryTask task, String sender, ByteBuffer body) {
        if (index != null && !sender.isEmpty()) { // a DSN (null sender) gets no feedback of its own
            try {
                index.record(task.messageId(), sender, HeaderField.first(body, "message-id"), task.recipients(),
                        task.recipientIndexes());
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (now - lastLoggedNanos >= LOG_EVERY_NANOS) {
                    lastLoggedNanos = now;
                    LOG.error("feedback index: cannot record message {}: {}", task.messageId(), e.toString());
                }
            }
        }
        if (task.verpDomain() == null || sender.isEmpty() || task.recipientCount() != 1) {
            return sender;
        }
        return verp.returnPath(task.messageId(), task.recipientIndex(0), task.recipients().get(0), task.verpDomain());
    }
}
