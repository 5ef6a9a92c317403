package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice hold (--domain D | --id ID)}: Put mail on hold (a domain, or one message by id): it is not
 * delivered until 'sluice release'. Held mail does not expire while held. Survives a restart.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = "Put mail on hold (a domain, or one message by id): it is not delivered until 'sluice "
                + "release'. Held mail does not expire while held. Survives a restart."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class HoldCommand extends QueueActionCommand {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "every message's recipients at this domain")
    String domain;

    @Option(names = "--id", paramLabel = "ID", description = "one message (16 hex digits, as in the 250 reply)")
    String id;

    @Override
    String invalidArguments() {
        return firstProblem(exactlyOne("--domain or --id", domain, id), badName("--domain", domain), badId(id));
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
        q.put("domain", domain);
        q.put("id", id == null ? null : id.toLowerCase(java.util.Locale.ROOT));
    }
}
