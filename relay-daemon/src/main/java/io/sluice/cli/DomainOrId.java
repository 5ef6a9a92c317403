package io.sluice.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --domain D | --id ID} target of {@code hold}, {@code release} and {@code bounce} (a picocli mixin):
 * the options, their usage checks (exactly one; a domain name; a 16-hex-digit id) and their query parameters.
 */
final class DomainOrId {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "every pending recipient at this domain")
    String domain;

    @Option(names = "--id", paramLabel = "ID", description = "one message (16 hex digits, as in the 250 reply)")
    String id;

    /** The usage problem, or null. */
    String problem() {
        return QueueActionCommand.firstProblem(QueueActionCommand.exactlyOne("--domain or --id", domain, id),
                QueueActionCommand.badName("--domain", domain), QueueActionCommand.badId(id));
    }

    void put(Map<String, String> query) {
        query.put("domain", domain);
        query.put("id", id == null ? null : id.toLowerCase(Locale.ROOT));
    }
}
