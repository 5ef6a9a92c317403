package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md "Packages and the dependency rule": a package imports only packages to its left in the data flow
 * plus the leaves; Netty stays in {@code smtp.*}, {@code admin} and the composition root; nothing imports
 * {@code daemon} or {@code cli}. Scans the main sources' import lines.
 */
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/io/sluice");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.sluice\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Pattern NETTY = Pattern.compile("^import (?:static )?io\\.netty\\.", Pattern.MULTILINE);

    /** For each package, the io.sluice packages it may import (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("util", Set.of()),
            Map.entry("model", Set.of("util")),
            Map.entry("signing", Set.of("util", "model")),
            Map.entry("config", Set.of("util", "model", "signing")),
            Map.entry("classify", Set.of("util", "model", "config")),
            Map.entry("suppression", Set.of("util", "model", "config")),
            Map.entry("metrics", Set.of("util", "model")),
            Map.entry("smtp.codec", Set.of("util", "model", "config")),
            Map.entry("journal", Set.of("util", "model", "config", "metrics")),
            Map.entry("smtp.server.auth", Set.of("util", "model", "config")),
            Map.entry("dns", Set.of("util", "model", "config")),
            // the parser is pure (util, model, config, classify); the feedback loop around it (FeedbackIntake,
            // FeedbackMatcher, FeedbackIndex, FeedbackReturnPaths) sits after delivery in the flow
            Map.entry("bounce.intake", Set.of("util", "model", "config", "classify", "metrics", "journal", "events",
                    "suppression", "scheduler", "delivery", "web")),
            Map.entry("web", Set.of("util", "model", "config", "metrics", "events", "suppression", "smtp.server")),
            Map.entry("bounce", Set.of("util", "model", "config", "metrics", "journal", "scheduler", "events")),
            Map.entry("shaping", Set.of("util", "model", "config", "dns")),
            Map.entry("routing", Set.of("util", "model", "config")),
            Map.entry("scheduler", Set.of("util", "model", "config", "metrics", "journal", "dns", "events",
                    "shaping", "routing")),
            Map.entry("delivery", Set.of("util", "model", "config", "metrics", "smtp.codec", "journal", "dns",
                    "shaping", "scheduler", "events", "classify")),
            Map.entry("events", Set.of("util", "model", "config", "metrics", "journal")),
            Map.entry("smtp.server", Set.of("util", "model", "config", "metrics", "smtp.codec", "journal",
                    "events", "smtp.server.auth", "signing")),
            Map.entry("admin", Set.of("util", "model", "config", "metrics")),
            Map.entry("daemon", Set.of("util", "model", "config", "metrics", "smtp.codec", "journal",
                    "smtp.server.auth", "smtp.server", "dns", "delivery", "events", "bounce", "scheduler",
                    "admin", "routing", "shaping", "classify", "bounce.intake", "suppression", "web", "signing")),
            Map.entry("cli", Set.of("util", "model", "config", "metrics", "journal", "smtp.server.auth", "daemon",
                    "routing", "classify", "bounce.intake", "suppression", "signing", "dns")));
    private static final Set<String> NETTY_ALLOWED = Set.of("smtp.codec", "smtp.server", "admin", "delivery", "daemon",
            "web");

    @Test
    void shouldImportOnlyAllowedPackages() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                String source = Files.readString(file);
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(file + ": package " + pkg + " is not in the dependency table");
                    continue;
                }
                Matcher m = IMPORT.matcher(source);
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(pkg) && !allowed.contains(target)) {
                        violations.add(file + ": " + pkg + " imports " + target);
                    }
                }
                if (NETTY.matcher(source).find() && !NETTY_ALLOWED.contains(pkg)) {
                    violations.add(file + ": " + pkg + " imports Netty");
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
