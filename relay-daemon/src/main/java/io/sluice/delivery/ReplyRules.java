package io.sluice.delivery;

import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.scheduler.RecipientResult;
import io.sluice.scheduler.TaskResult;
import io.sluice.shaping.PathShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches a finished task's replies against its path's reply rules (docs/shaping.md "Automation"), here on the
 * delivery stage's threads so that no regex ever runs on the scheduler thread. Each recipient's failure is tried as
 * {@code "code enhanced-code text"} (Sluice's own explanation alone when no server replied: a refused greeting's
 * {@code 421 ...} is in it); the first rule that finds a match is attached to the result ({@link TaskResult#fired})
 * for the scheduler to count. A {@code bounce} rule also turns every deferred recipient whose reply it matches into
 * a permanent failure with the same reason (421 4.7.0 becomes 521 5.7.0, its text saying which rule bounced it,
 * marked as Sluice's own decision). Deliveries are not looked at: a task that delivered everything costs one loop
 * over its results. Stateless.
 */
final class ReplyRules {
    private ReplyRules() {
    }

    static TaskResult match(PathShape shape, TaskResult result) {
        if (shape == null || shape.rules().isEmpty()) {
            return result;
        }
        List<RecipientResult> rs = result.recipients();
        for (int i = 0; i < rs.size(); i++) {
            RecipientResult r = rs.get(i);
            if (r.kind() == RecipientResult.Kind.DELIVERED) {
                continue;
            }
            String line = line(r);
            AutomationRule rule = firstMatch(shape.rules(), line);
            if (rule != null) {
                return result.fired(rule.action().bounce() ? bounced(rs, rule) : rs, new TaskResult.Fired(rule, line));
            }
        }
        return result;
    }

    /** The text a rule's regex is tried on. */
    static String line(RecipientResult r) {
        if (r.code() == 0) {
            return r.text() == null ? "" : r.text();
        }
        StringBuilder sb = new StringBuilder(64).append(r.code());
        if (r.enhancedStatus() != null) {
            sb.append(' ').append(r.enhancedStatus());
        }
        if (r.text() != null) {
            sb.append(' ').append(r.text());
        }
        return sb.toString();
    }

    private static AutomationRule firstMatch(List<AutomationRule> rules, String line) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).pattern().matcher(line).find()) {
                return rules.get(i);
            }
        }
        return null;
    }

    private static List<RecipientResult> bounced(List<RecipientResult> rs, AutomationRule rule) {
        List<RecipientResult> out = new ArrayList<>(rs.size());
        for (RecipientResult r : rs) {
            boolean matches = r.kind() == RecipientResult.Kind.TEMPORARY && rule.pattern().matcher(line(r)).find();
            // 421 4.7.0 becomes 521 5.7.0: the same reason, now final, as a DSN must state it; Sluice's own decision
            // (local), so the DSN and the event do not claim the next hop said 521, nor do rotation counts
            out.add(matches ? RecipientResult.permanent(r.code() == 0 ? 554 : 500 + r.code() % 100,
                    r.enhancedStatus() == null ? null : "5" + r.enhancedStatus().substring(1),
                    "bounced by shaping rule '" + rule.match() + "': " + r.text(), true)
                    .classified(r.reason(), r.hard()) : r);
        }
        return out;
    }
}
