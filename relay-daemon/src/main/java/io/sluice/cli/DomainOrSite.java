package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --domain D | --site S} target of {@code flush}, {@code suspend} and {@code resume} (a picocli mixin):
 * the options, their usage checks and their query parameters, in one place.
 */
final class DomainOrSite {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "the recipient domain")
    String domain;

    @Option(names = "--site", paramLabel = "SITE",
            description = "the site (MX host names joined by commas, as 'sluice queue' shows it)")
    String site;

    /** The usage problem, or null; {@code required}: exactly one of the two, else at most one. */
    String problem(boolean required) {
        String count = required ? QueueActionCommand.exactlyOne("--domain or --site", domain, site)
                : domain != null && site != null ? "give --domain or --site, not both" : null;
        return QueueActionCommand.firstProblem(count, QueueActionCommand.badName("--domain", domain),
                QueueActionCommand.badName("--site", site));
    }

    void put(Map<String, String> query) {
        query.put("domain", domain);
        query.put("site", site);
    }
}
