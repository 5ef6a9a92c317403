package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice suspend (--domain D | --site S) [--for DURATION]}: no new delivery starts for the domain or site
 * (deliveries in flight finish); its mail stays queued until {@code sluice resume} or the end of the duration.
 * Persisted: survives a restart.
 */
@Command(name = "suspend", mixinStandardHelpOptions = true,
        description = "Stop starting deliveries to a domain or site; its mail waits until 'sluice resume' or "
                + "--for runs out (it still expires at delivery.max_age). Survives a restart.%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, "
                + "3 token refused.")
final class SuspendCommand extends DomainOrSiteCommand {
    SuspendCommand() {
        super("suspend", "waiting", true);
    }

    @Option(names = "--for", paramLabel = "DURATION", description = "end by itself after this long, e.g. 30m, 2h, "
            + "1d (default: until resumed)")
    String duration;

    @Override
    void parameters(Map<String, String> q) {
        super.parameters(q);
        q.put("for", duration);
    }
}
