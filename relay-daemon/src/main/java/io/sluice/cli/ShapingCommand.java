package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.daemon.ShapingShow;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice shaping ...}: traffic shaping (docs/shaping.md). */
@Command(name = "shaping", mixinStandardHelpOptions = true, description = "Traffic shaping per mailbox provider.",
        subcommands = {ShapingCommand.Show.class})
final class ShapingCommand {

    /**
     * {@code sluice shaping show --domain D [--offline] [-c FILE] [--json]}: the domain's site (an MX lookup), its
     * provider, the limits per (source, site), per (source, provider) and in total, the reply rules, and per source
     * the limits in force now with every action narrowing them. Asks the running daemon (found from the config, as
     * every admin command does); with {@code --offline} it reads the config (and its shaping files) itself and shows
     * no actions (they live in the daemon). {@code -c/--config} keeps its meaning of every command (which config),
     * so offline is a flag of its own. Exit codes as {@link AdminCommand}; offline, 1 when the config is invalid.
     */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the provider, limits per source, reply rules and actions in force for a domain: from"
                    + " the running daemon, or --offline from the config file.%nExit 0 ok, 1 refused or invalid"
                    + " config, 2 usage/unreachable, 3 token refused.")
    static final class Show extends AdminCommand {
        @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "the recipient domain")
        String domain;

        @Option(names = "--offline", description = "read the config and its shaping files here instead of asking the"
                + " daemon (no actions: they live in the daemon)")
        boolean offline;

        @Override
        String path() {
            return "/admin/shaping";
        }

        @Override
        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("domain", domain);
            return q;
        }

        @Override
        String invalidArguments() {
            return QueueActionCommand.badName("--domain", domain);
        }

        @Override
        Integer answerOffline(PrintWriter out, PrintWriter err) throws InterruptedException {
            if (!offline) {
                return null; // ask the daemon
            }
            Settings settings;
            try {
                settings = SettingsLoader.load(client.location.path());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return REFUSED;
            }
            String doc;
            try {
                doc = ShapingShow.offline(settings, domain.toLowerCase(java.util.Locale.ROOT));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                err.println("sluice shaping show: " + e.getMessage());
                return REFUSED;
            }
            if (json) {
                out.println(doc);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> answer = (Map<String, Object>) JsonReader.parse(doc);
                render(answer, out);
            }
            return OK;
        }

        @Override
        void render(Map<String, Object> doc, PrintWriter out) {
            out.println("domain    " + str(doc, "domain"));
            if (str(doc, "site") == null) {
                out.println("site      (no MX hosts: " + str(doc, "dns_error") + ")");
                return;
            }
            out.println("site      " + str(doc, "site"));
            String file = str(doc, "shaping_file");
            String provider = str(doc, "provider");
            out.println("provider  " + (file == null ? "(shaping off: delivery.* limits)"
                    : provider == null ? "(none: the default's limits)" : provider) + (file == null ? ""
                    : "  [" + file + "]"));
            Map<String, Object> l = obj(doc, "limits");
            out.println("per (source, site):     connections " + num(l, "connections") + ", message rate "
                    + or(str(l, "message_rate")) + ", connection rate " + or(str(l, "connection_rate"))
                    + ", deliveries/connection " + num(l, "deliveries_per_connection") + ", recipients/transaction "
                    + num(l, "recipients_per_transaction") + ", idle " + str(l, "idle_timeout") + ", tls "
                    + str(l, "tls"));
            if (provider != null) {
                out.println("per (source, provider): connections " + limit(num(l, "source_connections"))
                        + ", message rate " + or(str(l, "source_message_rate")));
                out.println("provider total:         connections " + limit(num(l, "total_connections"))
                        + ", message rate " + or(str(l, "total_message_rate")));
            }
            List<Map<String, Object>> rules = list(doc, "rules");
            if (!rules.isEmpty()) {
                out.println();
                TextTable t = new TextTable("REPLY RULE", "TRIGGER", "ACTION");
                for (Map<String, Object> r : rules) {
                    t.row(str(r, "match"), str(r, "trigger"), str(r, "action"));
                }
                t.print(out);
            }
            out.println();
            boolean live = Boolean.TRUE.equals(doc.get("live"));
            TextTable sources = new TextTable("SOURCE", ">CONNECTIONS", "MESSAGE RATE", "ACTIONS IN FORCE");
            for (Map<String, Object> s : list(doc, "sources")) {
                StringBuilder actions = new StringBuilder();
                for (Map<String, Object> a : list(s, "actions")) {
                    actions.append(actions.length() > 0 ? "; " : "").append(str(a, "action")).append(" until ")
                            .append(HumanUnits.time(num(a, "until_millis")));
                }
                sources.row(str(s, "source"), Boolean.TRUE.equals(s.get("suspended")) ? "suspended"
                        : Long.toString(num(s, "connections")), or(str(s, "message_rate")),
                        live ? (actions.length() == 0 ? "none" : actions.toString()) : "(offline: not known)");
            }
            sources.print(out);
        }

        private static String or(String value) {
            return value == null ? "none" : value;
        }

        private static String limit(long n) {
            return n <= 0 ? "none" : Long.toString(n);
        }
    }
}
