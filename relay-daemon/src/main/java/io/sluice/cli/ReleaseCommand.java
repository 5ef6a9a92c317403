package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice release (--domain D | --id ID)}: Release held mail (a domain, or one message by id): it is
 * delivered now, or expires at once if older than delivery.max_age.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release held mail (a domain, or one message by id): it is delivered now, or expires at "
                + "once if older than delivery.max_age."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class ReleaseCommand extends QueueActionCommand {
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
        return "release";
    }

    @Override
    String verb() {
        return "released";
    }

    @Override
    void parameters(Map<String, String> q) {
        q.put("domain", domain);
        q.put("id", id == null ? null : id.toLowerCase(java.util.Locale.ROOT));
    }
}
