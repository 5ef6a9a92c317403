package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.config.ShapingSettings.Provider;
import io.sluice.config.ShapingSettings.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaping files: the shipped rules, overrides merged key by key, and errors naming file, line and key. */
class ShapingConfigTest {
    private static final Path SHIPPED_SHAPING = Path.of(System.getProperty("basedir", "."), "..", "conf",
            "shaping.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Settings load(String overrides) throws Exception {
        Path config = dir.resolve("sluice.yaml");
        String text = "shaping:\n  file: " + SHIPPED_SHAPING + "\n";
        if (overrides != null) {
            Files.writeString(dir.resolve("local.yaml"), overrides);
            text += "  overrides: local.yaml\n";
        }
        Files.writeString(config, text);
        return SettingsLoader.load(config);
    }

    @Test
    void shouldShipEveryProviderTheIssueNamesWithItsSources() throws Exception {
        Rules rules = load(null).shaping().rules();

        assertThat(rules.providers()).extracting(Provider::name).contains("gmail", "yahoo", "outlook", "office365",
                "apple", "comcast", "orange", "mimecast");
        Provider gmail = rules.provider("gmail");
        assertThat(gmail.mxSuffixes()).containsExactly(".google.com", ".googlemail.com");
        assertThat(gmail.perSource().connections()).isEqualTo(5);
        assertThat(gmail.perSource().deliveriesPerConnection()).isEqualTo(50);
        assertThat(gmail.total().connections()).isEqualTo(50);
        assertThat(gmail.tls()).isEqualTo(OutboundTls.REQUIRED);
        assertThat(gmail.automation().get(0).pattern().matcher("421 4.7.28 Our system has detected an unusual rate")
                .find()).isTrue();
        assertThat(rules.provider("office365").total().connections()).isNull();
        assertThat(rules.provider("yahoo").automation().get(0).action().suspend()).isTrue();
        assertThat(rules.provider("yahoo").automation().get(0).pattern().matcher("421 4.7.0 [TSS04] Messages from"
                + " 192.0.2.1 temporarily deferred").find()).isTrue();
        assertThat(rules.defaults().connections()).isEqualTo(10);
        assertThat(rules.defaults().messageRate().intervalNanos()).isEqualTo(10_000_000L);
        assertThat(rules.defaults().connectionRate().count()).isEqualTo(100);
        assertThat(rules.defaults().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(rules.schedule("standard").days().get(0).caps()).containsEntry("gmail", 50L);
        assertThat(rules.automation()).hasSize(2);
    }

    @Test
    void shouldMergeOverridesKeyByKeyAndProvidersByName() throws Exception {
        Rules rules = load("""
                default:
                  message_rate: 500/s burst 20
                providers:
                  - name: gmail
                    per_source: {connections: 2}
                  - name: corp
                    mx_suffixes: [mx.corp.example]
                    per_site: {connections: 4}
                """).shaping().rules();

        assertThat(rules.defaults().messageRate().count()).isEqualTo(500);
        assertThat(rules.defaults().messageRate().burst()).isEqualTo(20);
        assertThat(rules.defaults().connections()).isEqualTo(10); // kept from the shipped file
        Provider gmail = rules.provider("gmail");
        assertThat(gmail.perSource().connections()).isEqualTo(2);
        assertThat(gmail.perSource().deliveriesPerConnection()).isEqualTo(50); // kept
        assertThat(gmail.mxSuffixes()).containsExactly(".google.com", ".googlemail.com");
        assertThat(rules.providers().get(rules.providers().size() - 1).name()).isEqualTo("corp");
        assertThat(rules.provider("corp").perSite().connections()).isEqualTo(4);
    }

    @Test
    void shouldNameTheOverridesFileLineAndKeyOfEveryProblem() {
        assertThatThrownBy(() -> load("""
                providers:
                  - name: gmail
                    automation:
                      - match: '4\\.7\\.28('
                        action: {suspend: 2h}
                  - name: newone
                    mx_suffixes: [.google.com]
                    per_source: {connections: 0}
                    automation:
                      - match: x
                        trigger: 3 per hour
                        action: {message_rate: 5/min}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("local.yaml:4: providers[0].automation[0].match: not a valid regex")
                .hasMessageContaining("local.yaml:7: providers[8].mx_suffixes[0]: .google.com is already a suffix of"
                        + " provider gmail")
                .hasMessageContaining("local.yaml:8: providers[8].per_source.connections: 0 is below the minimum")
                .hasMessageContaining("local.yaml:11: providers[8].automation[0].trigger: 3 per hour is not a"
                        + " trigger")
                .hasMessageContaining("providers[8].automation[0].action.for: required");
    }

    @Test
    void shouldRefuseAThresholdOnABounceRule() {
        assertThatThrownBy(() -> load("""
                automation:
                  - {match: 'x', trigger: 3/1h, action: bounce}
                """)).hasMessageContaining("automation[0].trigger: bounce acts on each matching reply");
    }

    @Test
    void shouldReportAKeyGivenTwiceInTheOverrides() {
        assertThatThrownBy(() -> load("""
                default:
                  connections: 4
                  connections: 5
                """)).hasMessageContaining("local.yaml:3: default.connections: duplicate key");
    }

    @Test
    void shouldRefuseOverridesWithoutAShapingFileAndAMissingFile() throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, "shaping:\n  overrides: local.yaml\n");
        assertThatThrownBy(() -> SettingsLoader.load(config)).hasMessageContaining(
                "sluice.yaml:2: shaping.overrides: needs shaping.file");
        Files.writeString(config, "shaping:\n  file: nowhere.yaml\n");
        assertThatThrownBy(() -> SettingsLoader.load(config)).hasMessageContaining("nowhere.yaml: file not found");
    }

    @Test
    void shouldReadWarmupCapsAndRefuseUnknownProviders() {
        assertThatThrownBy(() -> load("""
                warmup:
                  schedules:
                    - name: standard
                      days: [{day: 1, default: 10, hotmail: 5}, {day: 1, default: 20}]
                """))
                .hasMessageContaining("warmup.schedules[0].days[0].hotmail: no provider is named hotmail")
                .hasMessageContaining("warmup.schedules[0].days[1].day: 1 must come after day 1");
    }
}
