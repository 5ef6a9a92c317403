package io.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Prints the shaping actions in force (the {@code actions} of {@code status}'s {@code shaping}, the
 * {@code shaping_actions} of {@code queue}) as a table: source, path, action, until, and the reply that fired it.
 * Nothing when there are none. Stateless.
 */
final class ShapingActionsTable {
    private static final int REPLY_CHARS = 60;

    private ShapingActionsTable() {
    }

    static void print(List<Map<String, Object>> actions, PrintWriter out) {
        if (actions.isEmpty()) {
            return;
        }
        out.println();
        TextTable t = new TextTable("SHAPING ACTION", "SOURCE", "PATH", "UNTIL", "AFTER REPLY");
        for (Map<String, Object> a : actions) {
            String reply = AdminCommand.str(a, "reply");
            if (reply != null && reply.length() > REPLY_CHARS) {
                reply = reply.substring(0, REPLY_CHARS - 3) + "...";
            }
            t.row(AdminCommand.str(a, "action"), AdminCommand.str(a, "source"), AdminCommand.str(a, "target"),
                    HumanUnits.time(AdminCommand.num(a, "until_millis")), reply);
        }
        t.print(out);
        out.println("(sluice resume --provider NAME, or --site KEY, ends them early)");
    }
}
