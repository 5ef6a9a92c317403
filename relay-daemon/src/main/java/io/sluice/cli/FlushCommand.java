package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice flush [--domain D | --site S]}: deferred recipients (all, or of one domain or site) are tried now
 * instead of at their retry time, and a dead site's probe comes due now (like {@code postqueue -f}).
 */
@Command(name = "flush", mixinStandardHelpOptions = true,
        description = "Try deferred mail now instead of at its retry time (all, or one domain or site); a dead "
                + "site is probed now.%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class FlushCommand extends QueueActionCommand {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "only this recipient domain")
    String domain;

    @Option(names = "--site", paramLabel = "SITE", description = "only this site (MX host names joined by commas, "
            + "as 'sluice queue' shows it)")
    String site;

    @Override
    String invalidArguments() {
        return firstProblem(domain != null && site != null ? "give --domain or --site, not both" : null,
                badName("--domain", domain), badName("--site", site));
    }

    @Override
    String action() {
        return "flush";
    }

    @Override
    String verb() {
        return "made due now";
    }

    @Override
    void parameters(Map<String, String> q) {
        q.put("domain", domain);
        q.put("site", site);
    }
}
