package io.sluice.cli;

import picocli.CommandLine.Command;

/**
 * {@code sluice release (--domain D | --id ID)}: Release held mail (a domain, or one message by id): it is
 * delivered now, or expires at once if older than delivery.max_age.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release held mail (a domain, or one message by id): it is delivered now, or expires at "
                + "once if older than delivery.max_age."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class ReleaseCommand extends DomainOrIdCommand {
    ReleaseCommand() {
        super("release", "released");
    }
}
