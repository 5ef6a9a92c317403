package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice hold (--domain D | --id ID)}: Put mail on hold (a domain, or one message by id): it is not
 * delivered until 'sluice release'. Held mail does not expire while held. Survives a restart.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = "Put mail on hold (a domain, or one message by id): it is not delivered until 'sluice "
                + "release'. Held mail does not expire while held. Survives a restart."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class HoldCommand extends QueueActionCommand {
    @Mixin
    DomainOrId target;

    @Override
    String invalidArguments() {
        return target.problem();
    }

    @Override
    String action() {
        return "hold";
    }

    @Override
    String verb() {
        return "held";
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
    }
}
