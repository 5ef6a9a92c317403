package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice resume (--domain D | --site S)}: ends a suspension; the waiting mail is delivered now. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "End a suspension of a domain or site; its waiting mail goes out now.%nExit 0 ok, 1 the "
                + "daemon said no, 2 usage/unreachable, 3 token refused.")
final class ResumeCommand extends QueueActionCommand {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "the recipient domain")
    String domain;

    @Option(names = "--site", paramLabel = "SITE", description = "the site (MX host names joined by commas)")
    String site;

    @Override
    String invalidArguments() {
        return firstProblem(exactlyOne("--domain or --site", domain, site), badName("--domain", domain),
                badName("--site", site));
    }

    @Override
    String action() {
        return "resume";
    }

    @Override
    String verb() {
        return "released";
    }

    @Override
    void parameters(Map<String, String> q) {
        q.put("domain", domain);
        q.put("site", site);
    }
}
