package io.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice resume (--domain D | --site S)}: ends a suspension; the waiting mail is delivered now. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "End a suspension of a domain or site; its waiting mail goes out now.%nExit 0 ok, 1 the "
                + "daemon said no, 2 usage/unreachable, 3 token refused.")
final class ResumeCommand extends DomainOrSiteCommand {
    ResumeCommand() {
        super("resume", "released", true);
    }
}
