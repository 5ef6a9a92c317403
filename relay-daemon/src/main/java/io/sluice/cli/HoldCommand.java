package io.sluice.cli;

import picocli.CommandLine.Command;

/**
 * {@code sluice hold (--domain D | --id ID)}: Put mail on hold (a domain, or one message by id): it is not
 * delivered until 'sluice release'. Held mail does not expire while held. Survives a restart.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = "Put mail on hold (a domain, or one message by id): it is not delivered until 'sluice "
                + "release'. Held mail does not expire while held. Survives a restart."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class HoldCommand extends DomainOrIdCommand {
    HoldCommand() {
        super("hold", "held");
    }
}
