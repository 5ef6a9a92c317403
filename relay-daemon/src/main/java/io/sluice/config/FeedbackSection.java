package io.sluice.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code feedback} section of sluice.yaml into {@link FeedbackSettings}: {@code key_file} (a path; absent:
 * {@code feedback.key} in {@code journal.dir}; an existing file must be readable and private, a missing one is
 * made at start), {@code domains} (domain names, each once; a leading {@code .} is
 * not allowed: the listener takes mail for exactly these) and {@code index_days} (1 to 3650). Whether a
 * {@code role: feedback} listener then accepts anything at all is checked by {@link SettingsReader}, which also
 * sees the routes' VERP domains.
 */
final class FeedbackSection {

    static final Limits INDEX_DAYS = Limits.range(1, 3650, Long::toString);

    private FeedbackSection() {
    }

    static FeedbackSettings read(YamlMapping m) {
        Path keyFile = m.path("key_file", null);
        List<String> domains = domains(m);
        int indexDays = m.integer("index_days", FeedbackSettings.DEFAULT_INDEX_DAYS, INDEX_DAYS);
        m.finish();
        if (keyFile != null && java.nio.file.Files.exists(keyFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            FileChecks.requirePrivateFile(m, "key_file", keyFile); // a missing one is made at start
        }
        return new FeedbackSettings(keyFile, domains, indexDays);
    }

    private static List<String> domains(YamlMapping m) {
        List<YamlMapping.Item> items = m.scalarList("domains");
        if (items == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            String domain = item.text().startsWith(".") ? null : RoutesSection.domain(item.text());
            if (domain == null) {
                m.error(item, (item.text().isEmpty() ? "\"\"" : item.text()) + " is not a domain name (write"
                        + " feedback.example.com; subdomains are not implied)");
            } else if (out.contains(domain)) {
                m.error(item, item.text() + " is already in this list");
            } else {
                out.add(domain);
            }
        }
        return out;
    }
}
