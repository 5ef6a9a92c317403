package io.sluice.delivery;

import java.nio.ByteBuffer;
import io.sluice.scheduler.DeliveryTask;

/**
 * The delivery stage's port to the feedback loop: told of every transaction before it is sent, it answers the
 * envelope sender to use. The feedback loop ({@code bounce.intake}) records what was sent, so that a later bounce or
 * complaint can be matched to its message and recipient, and gives a task on a VERP route ({@link
 * DeliveryTask#verpDomain()}) its signed return path.
 *
 * <p>Called on the body reader thread, once per attempt; must not block on anything but a local file append and
 * must not throw (a failure to record is the implementation's to log: delivery goes on).
 */
@FunctionalInterface
public interface ReturnPaths {
    /** Keeps the envelope sender and records nothing (no feedback loop). */
    ReturnPaths NONE = (task, sender, body) -> sender;

    /**
     * @param task   the attempt
     * @param sender the message's envelope sender ("" for the null sender, which is never rewritten)
     * @param body   the stored message, a view of it from its position to its limit (read it with absolute gets)
     * @return the envelope sender for MAIL FROM
     */
    String returnPath(DeliveryTask task, String sender, ByteBuffer body);
}
