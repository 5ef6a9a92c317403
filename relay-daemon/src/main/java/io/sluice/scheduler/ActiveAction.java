package io.sluice.scheduler;

import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.config.ShapingSettings.Rate;

/**
 * One shaping action in force on an {@link ActionTarget}: what it does, since and until when, the rule that fired
 * it (null after a restart: the state file keeps the action, not the rule) and the reply that did. Lives on a retry
 * timer that ends it. Scheduler thread only (fields are final but {@link #timerId}).
 */
final class ActiveAction {
    final ActionTarget target;
    final AutomationRule rule;
    final boolean suspend;
    final Rate messageRate;
    final int connections;
    final long sinceMillis;
    final long untilMillis;
    /** The rule's regex as written (kept across restarts for status). */
    final String match;
    /** The reply that fired it ("code enhanced-code text"). */
    final String reply;
    long timerId = RetryTimers.NONE;

    ActiveAction(ActionTarget target, AutomationRule rule, boolean suspend, Rate messageRate, int connections,
                 long sinceMillis, long untilMillis, String match, String reply) {
        this.target = target;
        this.rule = rule;
        this.suspend = suspend;
        this.messageRate = messageRate;
        this.connections = connections;
        this.sinceMillis = sinceMillis;
        this.untilMillis = untilMillis;
        this.match = match;
        this.reply = reply;
    }

    /** {@code suspend}, {@code message_rate 10/min}, {@code connections 1}, or both of the last two. */
    String describe() {
        return ShapingState.Entry.describe(suspend, messageRate, connections);
    }
}
