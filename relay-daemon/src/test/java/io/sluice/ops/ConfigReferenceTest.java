package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/config.md is exactly what {@link ConfigReference} makes of conf/sluice.yaml, so the reference cannot drift
 * from the shipped file (whose keys and defaults {@code config.SettingsDefaultsTest} ties to the loader). Run with
 * {@code -Dsluice.regenerate=true} (scripts/gen-config-doc) to rewrite docs/config.md instead of failing.
 */
class ConfigReferenceTest {
    private static final Path SHIPPED = OpsFiles.ROOT.resolve("conf/sluice.yaml");
    private static final Path DOC = OpsFiles.ROOT.resolve("docs/config.md");
    private static final Path RESTART_REQUIRED =
            OpsFiles.ROOT.resolve("relay-daemon/src/main/java/io/sluice/config/RestartRequired.java");

    @Test
    void shouldMatchWhatTheGeneratorMakesOfTheShippedConfig() throws Exception {
        String expected = ConfigReference.markdown(OpsFiles.read(SHIPPED));
        if (Boolean.getBoolean("sluice.regenerate")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(DOC)).as(DOC + " exists (run scripts/gen-config-doc)").isTrue();
        assertThat(OpsFiles.read(DOC)).as("docs/config.md is generated from conf/sluice.yaml: run"
                + " scripts/gen-config-doc after editing conf/sluice.yaml").isEqualTo(expected);
    }

    @Test
    void shouldDescribeEveryKeyWithDefaultTypeRangeAndReload() {
        Map<String, ConfigReference.Key> keys = keys();
        assertThat(keys).hasSizeGreaterThan(70);
        assertThat(keys.get("listeners[].port")).satisfies(k -> {
            assertThat(k.defaultValue()).isEqualTo("2525");
            assertThat(k.type()).isEqualTo("integer");
            assertThat(k.range()).isEqualTo("1 to 65535");
            assertThat(k.reload()).isEqualTo("restart");
            assertThat(k.meaning()).isEqualTo("TCP port, 1-65535 (production: 25, 587, or 465 with tls: implicit)");
        });
        assertThat(keys.get("listeners[].relay_networks")).satisfies(k -> {
            assertThat(k.defaultValue()).isEqualTo("[127.0.0.0/8, ::1/128]");
            assertThat(k.type()).isEqualTo("list");
            assertThat(k.reload()).isEqualTo("yes");
            assertThat(k.meaning()).endsWith("(quote IPv6 entries: a leading \":\" is YAML syntax in some positions)");
        });
        assertThat(keys.get("listeners[].tls").type()).isEqualTo("one of none, starttls, implicit");
        assertThat(keys.get("listeners[].auth")).satisfies(k -> {
            assertThat(k.type()).isEqualTo("section");
            assertThat(k.reload()).isEqualTo("restart");
        });
        assertThat(keys.get("listeners[].auth.cache_ttl").type()).isEqualTo("duration");
        assertThat(keys.get("smtp.hostname").defaultValue()).isEmpty();
        assertThat(keys.get("smtp.max_message_size")).satisfies(k -> {
            assertThat(k.type()).isEqualTo("size");
            assertThat(k.range()).isEqualTo("1KiB to 1GiB");
            assertThat(k.reload()).isEqualTo("restart");
        });
        assertThat(keys.get("smtp.max_command_line").range()).isEqualTo("512 to 64KiB");
        assertThat(keys.get("smtp.max_recipients").range()).as("enforced, though the comment does not say")
                .isEqualTo("1 to 100000");
        assertThat(keys.get("journal.min_free").range()).isEqualTo("at least 0");
        assertThat(keys.get("journal.sync").type()).isEqualTo("one of batch, none");
        assertThat(keys.get("journal.compact_after").meaning()).as("continuation comment lines are joined")
                .contains("are deleted, as are older state/ cycles").endsWith("(duration, 10m-7d)");
        assertThat(keys.get("journal.min_free").reload()).isEqualTo("yes");
        assertThat(keys.get("queue.max_pending_recipients").type()).isEqualTo("integer");
        assertThat(keys.get("queue.dead_site_max_probe").range()).as("its minimum is dead_site_first_probe")
                .isEqualTo("1m to 7d");
        assertThat(keys.get("dns.timeout").range()).isEqualTo("1ms to 5m");
        assertThat(keys.get("dns.resolvers")).satisfies(k -> {
            assertThat(k.defaultValue()).isEqualTo("[]");
            assertThat(k.type()).isEqualTo("list");
        });
        assertThat(keys.get("delivery.retry").reload()).isEqualTo("yes");
        assertThat(keys.get("delivery.retry.multiplier")).satisfies(k -> {
            assertThat(k.type()).isEqualTo("decimal");
            assertThat(k.range()).isEqualTo("1.0 to 100");
        });
        assertThat(keys.get("delivery.max_age").reload()).isEqualTo("yes");
        assertThat(keys.get("delivery.tls").reload()).isEqualTo("restart");
        assertThat(keys.get("events.log_file").type()).isEqualTo("path");
        assertThat(keys.get("smtp.bare_lf").type()).isEqualTo("one of normalize, reject");
        assertThat(keys.values()).filteredOn(k -> !k.type().equals("section"))
                .allSatisfy(k -> assertThat(k.meaning()).as(k.path()).isNotBlank());
    }

    @Test
    void shouldNameOnlyRealKeysAsRestartKeys() {
        Set<String> paths = keys().keySet();
        Set<String> unknown = new TreeSet<>(ConfigReference.RESTART);
        unknown.remove("listeners"); // the list itself: adding or removing a listener
        unknown.removeAll(paths);
        assertThat(unknown).as("restart keys not in conf/sluice.yaml").isEmpty();
    }

    @Test
    void shouldAgreeWithTheReloadCodeOnWhichKeysNeedARestart() {
        assumeTrue(Files.exists(RESTART_REQUIRED), "config.RestartRequired is not in this tree yet");
        String source = OpsFiles.read(RESTART_REQUIRED);
        Set<String> restart = new TreeSet<>();
        Matcher m = Pattern.compile("differ\\(keys, (at \\+ )?\"([a-z_.]+)\"|keys\\.add\\(\"([a-z_.]+)\"\\)")
                .matcher(source);
        while (m.find()) {
            restart.add(m.group(3) != null ? m.group(3) : (m.group(1) != null ? "listeners[]." : "") + m.group(2));
        }
        assertThat(restart).as("keys RestartRequired refuses vs ConfigReference.RESTART")
                .isEqualTo(new TreeSet<>(ConfigReference.RESTART));
    }

    @Test
    void shouldReadNestedKeysListElementsAndContinuationComments() {
        String yaml = """
                # Header line one
                # and two.

                # The things.
                things:
                  - name: a                # unique
                    port: 1                # TCP port, 1-65535
                    nets:                  # networks
                      - 10.0.0.0/8
                      - "::1/128"          # quoted
                    auth:
                      enabled: false       # on or off
                  # not a continuation: a section comment would be at column 0
                other:
                  mode: fast               # fast (quick) | slow: careful
                  wait: 5s                 # how long, and a long
                                           # explanation (duration, 1ms-5m)
                """.replace("  # not a continuation: a section comment would be at column 0\n", "");
        List<String> header = new ArrayList<>();
        List<ConfigReference.Section> sections = ConfigReference.parse(yaml, header, false);
        assertThat(header).containsExactly("Header line one and two.");
        assertThat(sections).extracting(ConfigReference.Section::name).containsExactly("things", "other");
        assertThat(sections.get(0).description()).isEqualTo("The things.");
        assertThat(sections.get(0).keys()).extracting(ConfigReference.Key::path).containsExactly(
                "things[].name", "things[].port", "things[].nets", "things[].auth", "things[].auth.enabled");
        assertThat(sections.get(0).keys().get(2).defaultValue()).isEqualTo("[10.0.0.0/8, ::1/128]");
        assertThat(sections.get(0).keys().get(2).meaning()).isEqualTo("networks (quoted)");
        assertThat(sections.get(1).keys().get(0).type()).isEqualTo("one of fast, slow");
        assertThat(sections.get(1).keys().get(1)).isEqualTo(new ConfigReference.Key("other", "other.wait", 14,
                "5s", "duration", "", "yes", "how long, and a long explanation (duration, 1ms-5m)"));
        assertThatThrownBy(() -> ConfigReference.parse("a:\n  b c\n", new ArrayList<>(), false))
                .hasMessageContaining("line 2");
    }

    private static Map<String, ConfigReference.Key> keys() {
        return ConfigReference.parse(OpsFiles.read(SHIPPED), new ArrayList<>(), true).stream()
                .flatMap(s -> s.keys().stream())
                .collect(Collectors.toMap(ConfigReference.Key::path, Function.identity(), (a, b) -> {
                    throw new AssertionError("duplicate key " + a.path());
                }, java.util.LinkedHashMap::new));
    }
}
