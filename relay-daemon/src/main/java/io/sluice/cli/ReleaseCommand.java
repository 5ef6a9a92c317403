package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice release (--domain D | --id ID)}: Release held mail (a domain, or one message by id): it is
 * delivered now, or expires at once if older than delivery.max_age.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release held mail (a domain, or one message by id): it is delivered now, or expires at "
                + "once if older than delivery.max_age."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class ReleaseCommand extends QueueActionCommand {
    @Mixin
    DomainOrId target;

    @Override
    String invalidArguments() {
        return target.problem();
    }

    @Override
    String action() {
        return "release";
    }

    @Override
    String verb() {
        return "released";
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
    }
}
