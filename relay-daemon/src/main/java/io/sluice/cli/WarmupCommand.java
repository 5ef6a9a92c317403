package io.sluice.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code sluice warmup ...}: the warm-up of new source addresses (docs/shaping.md "Warm-up"). */
@Command(name = "warmup", mixinStandardHelpOptions = true, description = "Warm-up of new source addresses.",
        subcommands = {WarmupCommand.Status.class})
final class WarmupCommand {

    /**
     * {@code sluice warmup status}: per warming source its schedule, the schedule day reached, today's deferral and
     * block counts (the day advances only while their rates stay under the thresholds), and per provider today's cap
     * and the messages placed against it. Exit codes as {@link AdminCommand}.
     */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each warming source's day, today's caps per provider and their use.%nExit 0 ok, 1 "
                    + "refused, 2 usage/unreachable, 3 token refused.")
    static final class Status extends AdminCommand {
        @Override
        String path() {
            return "/admin/warmup";
        }

        @Override
        Map<String, String> query() {
            return Map.of();
        }

        @Override
        void render(Map<String, Object> doc, PrintWriter out) {
            if (list(doc, "sources").isEmpty()) {
                out.println("no source is warming up (sources[].warmup in sluice.yaml)");
                return;
            }
            out.println("the day advances at each UTC midnight while deferrals stay at most "
                    + doc.get("max_deferral_rate") + " and blocks at most " + doc.get("max_block_rate")
                    + " of the day's transactions");
            TextTable t = new TextTable("SOURCE", "SCHEDULE", ">DAY", "UTC DAY", ">TRANSACTIONS", ">DEFERRED",
                    ">BLOCKED", "PROVIDER", ">CAP", ">SENT");
            for (Map<String, Object> s : list(doc, "sources")) {
                boolean complete = Boolean.TRUE.equals(s.get("complete"));
                String day = num(s, "day") + (complete ? " (complete)" : "");
                boolean first = true;
                for (Map<String, Object> p : list(s, "providers")) {
                    long cap = num(p, "cap");
                    t.row(first ? str(s, "source") : "", first ? str(s, "schedule") : "", first ? day : "",
                            first ? str(s, "utc_day") : "", first ? Long.toString(num(s, "attempts")) : "",
                            first ? Long.toString(num(s, "deferred")) : "", first ? Long.toString(num(s, "blocked"))
                                    : "", str(p, "provider"), cap < 0 ? "none" : Long.toString(cap),
                            num(p, "sent"));
                    first = false;
                }
                if (first) {
                    t.row(str(s, "source"), str(s, "schedule"), day, str(s, "utc_day"), num(s, "attempts"),
                            num(s, "deferred"), num(s, "blocked"), "-", "none", 0);
                }
            }
            t.print(out);
        }
    }
}
