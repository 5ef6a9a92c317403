package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.model.RouteInputs;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.util.IdnDomain;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice route ...}: offline tools for the routes of a config file. */
@Command(name = "route", mixinStandardHelpOptions = true, description = "Evaluate the routes of a config file.",
        subcommands = {RouteCommand.Test.class})
final class RouteCommand {

    /**
     * {@code sluice route test --from A --to B [--auth U] [--listener L] [--stream S] [--json] [-c FILE]}: loads the
     * config as the daemon does (found as {@link ConfigLocation} says) and evaluates its routes with the daemon's
     * {@link Router} for one recipient, printing the route, lane and path ({@link RouteReport}). Offline: no DNS, no
     * daemon. The recipient's domain is compared lower case in A-label form (U-labels are converted, as the config's
     * domains are). Exit 0 with the route, 1 when the config is invalid, 2 on bad usage (including a {@code --to}
     * without a valid domain).
     */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Print the route, lane and path a message would take (offline, with the daemon's own "
                    + "route evaluation). Exit 0 with the route, 1 if the config is invalid, 2 on bad usage.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "ADDRESS",
                description = "the envelope sender; \"\" or \"<>\" for the null sender")
        String from;

        @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "a recipient")
        String to;

        @Option(names = "--auth", paramLabel = "USER", description = "the SMTP AUTH identity (default: none)")
        String auth;

        @Option(names = "--listener", paramLabel = "NAME", description = "the ingress listener (default: none)")
        String listener;

        @Option(names = "--stream", paramLabel = "STREAM",
                description = "the X-Sluice-Stream value of a trusted client (default: none)")
        String stream;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Mixin
        ConfigLocation location;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String domain = recipientDomain(to);
            if (domain == null) {
                err.println("sluice route test: --to " + to + " is not an address with a valid domain");
                err.flush();
                return 2;
            }
            Settings settings;
            try {
                settings = SettingsLoader.load(location.path());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
            String sender = from.equals("<>") ? "" : strip(from);
            Route route = Router.compile(settings.egress())
                    .route(RouteInputs.of(sender, auth, listener, stream), domain);
            out.print(json ? RouteReport.json(route, domain) + "\n" : RouteReport.text(route));
            out.flush();
            return 0;
        }

        /** The domain of {@code address}, lower case, A-labels; null when there is none or it is not valid. */
        static String recipientDomain(String address) {
            String a = strip(address);
            int at = a.lastIndexOf('@');
            if (at < 0 || at == a.length() - 1) {
                return null;
            }
            String ascii = IdnDomain.toAscii(a.substring(at + 1));
            return ascii == null ? null : ascii.toLowerCase(Locale.ROOT);
        }

        private static String strip(String address) {
            return address.length() >= 2 && address.startsWith("<") && address.endsWith(">")
                    ? address.substring(1, address.length() - 1) : address;
        }
    }
}
