package io.sluice.cli;

import picocli.CommandLine.Command;

/**
 * {@code sluice flush [--domain D | --site S]}: deferred recipients (all, or of one domain or site) are tried now
 * instead of at their retry time, and a dead site's probe comes due now (like {@code postqueue -f}).
 */
@Command(name = "flush", mixinStandardHelpOptions = true,
        description = "Try deferred mail now instead of at its retry time (all, or one domain or site); a dead "
                + "site is probed now.%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class FlushCommand extends DomainOrSiteCommand {
    FlushCommand() {
        super("flush", "made due now", false);
    }
}
