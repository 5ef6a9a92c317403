package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.config.JournalSettings.SyncPolicy;
import io.sluice.config.ListenerSettings.TlsMode;
import io.sluice.config.SmtpSettings.BareLfPolicy;
import io.sluice.util.CidrSet;
import io.sluice.util.IpLiteral;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsDefaultsTest {

    /** conf/ sits next to relay-daemon/, which is surefire's working directory and ${basedir}. */
    private static final Path SHIPPED = Path.of(System.getProperty("basedir", "."), "..", "conf", "sluice.yaml");

    @Test
    void shouldUseEveryDefaultForAnEmptyFile() throws Exception {
        Settings s = SettingsLoader.parse("", "conf/sluice.yaml");

        assertThat(s.source()).isNull();
        assertThat(s.listeners()).containsExactly(new ListenerSettings("default", "127.0.0.1", 2525, TlsMode.NONE,
                null, null, CidrSet.parse(List.of("127.0.0.0/8", "::1/128")),
                new AuthSettings(false, null, false, Duration.ofMinutes(5), 5)));
        assertThat(s.smtp()).isEqualTo(new SmtpSettings(DefaultHostname.get(), 512, 1000, 20L * 1024 * 1024, 1000,
                1000, 50, 10, 64 * 1024, BareLfPolicy.NORMALIZE, 256L * 1024 * 1024, 50, Duration.ofMinutes(5),
                Duration.ofMinutes(3), Duration.ofSeconds(1), Duration.ofMinutes(10), 500, Duration.ofSeconds(10),
                null, SmtpSettings.LongLinesPolicy.REJECT));
        assertThat(s.journal()).isEqualTo(new JournalSettings(Path.of("data/journal"), SyncPolicy.BATCH,
                1024L * 1024 * 1024, Duration.ofMinutes(1)));
        assertThat(s.queue()).isEqualTo(QueueSettings.defaults());
        assertThat(s.admin()).isEqualTo(new AdminSettings(true, "127.0.0.1", 8025, null));
        assertThat(s.dns()).isEqualTo(new DnsSettings(List.of(), Duration.ofSeconds(5), Duration.ofHours(1),
                Duration.ofMinutes(5)));
        assertThat(s.delivery()).isEqualTo(new DeliverySettings(25, false, DefaultHostname.get(), null,
                OutboundTls.OPPORTUNISTIC, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10), 100, 10, 100,
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(5), 2.0, Duration.ofHours(4),
                Duration.ofDays(5), true, false));
    }

    @Test
    void shouldTreatCommentsNullSectionsAndNullValuesAsDefaults() throws Exception {
        String yaml = """
                # nothing but comments and empty sections
                listeners:
                smtp:
                journal: ~
                queue: null
                admin:
                  token_file:
                  port:
                dns:
                  resolvers:
                delivery:
                  ehlo_name:
                  retry:
                """;
        assertThat(withoutSource(SettingsLoader.parse(yaml, "x.yaml"))).isEqualTo(SettingsLoader.defaults());
    }

    @Test
    void shouldShipAConfigFileThatEqualsTheCodeDefaults() throws Exception {
        Settings shipped = SettingsLoader.load(SHIPPED);

        assertThat(shipped.source()).isEqualTo(SHIPPED);
        // The one deliberate difference: the shipped file names a token file the daemon creates at first start,
        // so the admin CLI works in a checkout; a config without the key keeps the admin API off (403).
        assertThat(shipped.admin().tokenFile()).isEqualTo(Path.of("data/admin.token"));
        assertThat(SettingsLoader.defaults().admin().tokenFile()).isNull();
        Settings defaults = SettingsLoader.defaults();
        Settings expected = new Settings(null, defaults.listeners(), defaults.smtp(), defaults.journal(),
                defaults.queue(), new AdminSettings(defaults.admin().enabled(), defaults.admin().address(),
                defaults.admin().port(), Path.of("data/admin.token")), defaults.dns(), defaults.delivery(),
                defaults.events(), defaults.egress(), shipped.shaping(), shipped.bounces());
        assertThat(withoutSource(shipped)).isEqualTo(expected);
        // The second: the shipped file turns shaping on with the shaping.yaml beside it; without the key it is off.
        assertThat(shipped.shaping().file()).isEqualTo(SHIPPED.toAbsolutePath().getParent().resolve("shaping.yaml")
                .normalize());
        assertThat(shipped.shaping().rules().providers()).isNotEmpty();
        assertThat(defaults.shaping()).isEqualTo(ShapingSettings.OFF);
    }

    @Test
    void shouldListEveryKeyInTheShippedConfigFile() throws Exception {
        // Each key the loader knows must appear in conf/sluice.yaml with a comment, so operators see them all.
        String text = Files.readString(SHIPPED);
        for (String key : List.of("name", "address", "port", "tls", "tls_cert", "tls_key", "relay_networks",
                "auth", "enabled", "users_file", "allow_plaintext", "cache_ttl", "max_failures_per_ip", "smtp",
                "hostname", "max_command_line", "max_text_line", "max_message_size", "max_recipients",
                "max_connections", "max_connections_per_ip", "max_errors", "max_pipelined_bytes", "bare_lf",
                "max_inflight_data_bytes", "hop_limit", "command_timeout", "data_timeout", "max_soft_delay",
                "journal", "dir", "sync", "min_free", "checkpoint_interval", "compact_after", "queue",
                "max_pending_recipients", "dead_site_failures", "dead_site_first_probe", "dead_site_max_probe",
                "restart_spread",
                "admin", "token_file", "dns", "resolvers", "timeout", "max_cache_ttl", "negative_ttl", "delivery",
                "mx_port", "allow_private_mx", "ehlo_name", "bind_address", "connect_timeout", "greeting_timeout",
                "data_initiation_timeout", "data_block_timeout", "data_termination_timeout",
                "max_recipients_per_transaction", "max_connections_per_site", "max_deliveries_per_connection",
                "connection_max_age", "idle_timeout", "retry", "first", "multiplier", "max", "max_age", "dsn",
                "assume_delivered_on_dot_timeout", "events", "log_file", "log_max_size", "log_max_files",
                "max_stream_size", "sources", "pools", "source", "weight", "smarthosts", "routes", "match", "lane",
                "pool", "lanes", "quotas")) {
            assertThat(text).as(key).containsPattern("(?m)^\\s*(- )?" + key + ":");
        }
        for (String line : text.split("\n")) {
            if (line.matches("\\s*(- )?[a-z_]+: \\S.*")) {
                assertThat(line).as("value lines carry a comment").contains("#");
            }
        }
    }

    @Test
    void shouldRecordTheSourceFileWhenLoading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "queue:\n  max_pending_recipients: 7\n");

        Settings s = SettingsLoader.load(file);

        assertThat(s.source()).isEqualTo(file);
        assertThat(s.queue().maxPendingRecipients()).isEqualTo(7);
    }

    @Test
    void shouldReadEveryKeyWhenSetToNonDefaults(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        Path users = Files.writeString(dir.resolve("users"), "u:x");
        Path token = Files.writeString(dir.resolve("token"), "t");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        String yaml = """
                listeners:
                  - name: submission
                    address: "::"
                    port: 587
                    tls: STARTTLS
                    tls_cert: %s
                    tls_key: %s
                    relay_networks: [10.0.0.0/8, 192.0.2.7]
                    auth:
                      enabled: true
                      users_file: %s
                      allow_plaintext: false
                      cache_ttl: 30s
                      max_failures_per_ip: 3
                smtp:
                  hostname: mx1.example.net
                  max_command_line: 1KiB
                  max_text_line: 2000
                  max_message_size: 50MB
                  max_recipients: 200
                  max_connections: 300
                  max_connections_per_ip: 20
                  max_errors: 5
                  max_pipelined_bytes: 128KiB
                  bare_lf: reject
                  max_inflight_data_bytes: 1GiB
                  hop_limit: 30
                  command_timeout: 2m
                  data_timeout: 90s
                  max_soft_delay: 250ms
                  data_deadline: 20m
                  min_data_rate: 2000
                  evict_stalled_after: 30s
                  postmaster_address: ops@example.net
                journal:
                  dir: /var/lib/sluice/journal
                  sync: none
                  min_free: 5GB
                  checkpoint_interval: 30s
                queue:
                  max_pending_recipients: 1_000
                admin:
                  enabled: false
                  address: ::1
                  port: 9025
                  token_file: %s
                """.formatted(cert, key, users, token);

        Settings s = SettingsLoader.parse(yaml, "conf/sluice.yaml");

        assertThat(s.listeners()).containsExactly(new ListenerSettings("submission", "::", 587, TlsMode.STARTTLS,
                cert, key, CidrSet.parse("10.0.0.0/8, 192.0.2.7/32"),
                new AuthSettings(true, users, false, Duration.ofSeconds(30), 3)));
        assertThat(s.smtp()).isEqualTo(new SmtpSettings("mx1.example.net", 1024, 2000, 50_000_000, 200, 300, 20, 5,
                128 * 1024, BareLfPolicy.REJECT, 1024L * 1024 * 1024, 30, Duration.ofMinutes(2),
                Duration.ofSeconds(90), Duration.ofMillis(250), Duration.ofMinutes(20), 2000, Duration.ofSeconds(30),
                "ops@example.net", SmtpSettings.LongLinesPolicy.REJECT));
        assertThat(s.journal()).isEqualTo(new JournalSettings(Path.of("/var/lib/sluice/journal"), SyncPolicy.NONE,
                5_000_000_000L, Duration.ofSeconds(30)));
        assertThat(s.queue().maxPendingRecipients()).isEqualTo(1000);
        assertThat(s.admin()).isEqualTo(new AdminSettings(false, "::1", 9025, token));
    }

    @Test
    void shouldKeepRelativePathsAsWritten() throws Exception {
        Settings s = SettingsLoader.parse("journal:\n  dir: ./spool/../journal\n", "x.yaml");
        assertThat(s.journal().dir()).isEqualTo(Path.of("./spool/../journal"));
        assertThat(s.journal().dir().isAbsolute()).isFalse();
    }

    @Test
    void shouldDefaultTheHostnameToAValidMachineName() {
        String name = SettingsLoader.defaults().smtp().hostname();
        assertThat(HostNameSyntax.isValid(name)).as(name).isTrue();
        assertThat(IpLiteral.isLiteral(name)).isFalse();
    }

    @Test
    void shouldProduceImmutableSnapshots() throws Exception {
        Settings s = SettingsLoader.parse("listeners:\n  - name: a\n  - name: b\n    port: 2526\n", "x.yaml");

        assertThatThrownBy(() -> s.listeners().add(s.listeners().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.listeners().get(0).relayNetworks().specs().add("10.0.0.0/8"))
                .isInstanceOf(UnsupportedOperationException.class);
        List<ListenerSettings> mutable = new ArrayList<>(s.listeners());
        Settings copy = new Settings(null, mutable, s.smtp(), s.journal(), s.queue(), s.admin(), s.dns(),
                s.delivery(), s.events(), s.egress(), s.shaping(), s.bounces());
        mutable.clear();
        assertThat(copy.listeners()).hasSize(2);
        assertThat(copy.listener("b").port()).isEqualTo(2526);
        assertThat(copy.listener("c")).isNull();
    }

    @Test
    void shouldSwapSnapshotsAtomicallyInTheHolder() throws Exception {
        Settings first = SettingsLoader.defaults();
        Settings second = SettingsLoader.parse("queue:\n  max_pending_recipients: 9\n", "x.yaml");
        SettingsHolder holder = new SettingsHolder(first);

        assertThat(holder.swap(second)).isSameAs(first);
        assertThat(holder.current()).isSameAs(second);
    }

    private static Settings withoutSource(Settings s) {
        return new Settings(null, s.listeners(), s.smtp(), s.journal(), s.queue(), s.admin(), s.dns(),
                s.delivery(), s.events(), s.egress(), s.shaping(), s.bounces());
    }
}
