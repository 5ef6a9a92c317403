package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which changed keys a live reload refuses ({@link RestartRequired}): exact YAML key paths, in file order, and
 * nothing for keys a reload applies.
 */
class RestartRequiredTest {
    private static final String BASE = """
            listeners:
              - name: in
                port: 2525
                relay_networks: [127.0.0.0/8]
              - name: submission
                port: 2587
            smtp:
              hostname: mx.example.test
              max_recipients: 100
            journal:
              dir: /var/lib/sluice/journal
            delivery:
              retry:
                first: 5m
            """;

    private static Settings parse(String yaml) throws ConfigException {
        return SettingsLoader.parse(yaml, "conf/sluice.yaml");
    }

    private static java.util.List<String> changed(String from, String to) throws ConfigException {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return RestartRequired.keys(parse(BASE), parse(BASE.replace(from, to)));
    }

    @Test
    void shouldFindNothingForAnIdenticalFile() throws Exception {
        assertThat(RestartRequired.keys(parse(BASE), parse(BASE))).isEmpty();
    }

    @Test
    void shouldLetReloadableKeysThrough() throws Exception {
        assertThat(changed("max_recipients: 100", "max_recipients: 5\n  command_timeout: 1m")).isEmpty();
        assertThat(changed("first: 5m", "first: 1m\n    multiplier: 3\n  max_age: 1d\n  connect_timeout: 5s"))
                .isEmpty();
        assertThat(changed("relay_networks: [127.0.0.0/8]", "relay_networks: [10.0.0.0/8]")).isEmpty();
        assertThat(changed("dir: /var/lib/sluice/journal", "dir: /var/lib/sluice/journal\n  min_free: 2GiB"))
                .isEmpty();
    }

    @Test
    void shouldNameAChangedListenerPortByIndex() throws Exception {
        assertThat(changed("port: 2587", "port: 2588")).containsExactly("listeners[1].port");
    }

    @Test
    void shouldReportAnAddedListenerAsTheList() throws Exception {
        assertThat(changed("  - name: submission\n    port: 2587\n",
                "  - name: submission\n    port: 2587\n  - name: third\n    port: 2599\n"))
                .containsExactly("listeners");
    }

    @Test
    void shouldReportRenamedListenersTlsAndAuth() throws Exception {
        assertThat(changed("name: in\n", "name: inbound\n")).containsExactly("listeners[0].name");
        assertThat(changed("port: 2525\n", "port: 2525\n    address: 127.0.0.2\n    auth:\n      cache_ttl: 1m\n"))
                .containsExactly("listeners[0].address", "listeners[0].auth.cache_ttl");
    }

    @Test
    void shouldReportJournalDnsAdminAndDeliveryKeysThatNeedARestart() throws Exception {
        assertThat(changed("dir: /var/lib/sluice/journal", "dir: /srv/journal\n  sync: none"))
                .containsExactly("journal.dir", "journal.sync");
        assertThat(changed("max_recipients: 100", "max_recipients: 100\n  max_message_size: 10MiB"))
                .containsExactly("smtp.max_message_size");
        assertThat(changed("first: 5m", "first: 5m\n  mx_port: 2526\n  dsn: false"))
                .containsExactly("delivery.mx_port", "delivery.dsn");
        assertThat(changed("delivery:\n", "admin:\n  port: 9000\ndns:\n  resolvers: [\"127.0.0.1:5353\"]\n"
                + "delivery:\n")).containsExactly("admin.port", "dns.resolvers");
    }

    @Test
    void shouldReportAHostnameChangeAndTheEhloNameItDefaults() throws Exception {
        assertThat(changed("hostname: mx.example.test", "hostname: mx2.example.test"))
                .containsExactly("smtp.hostname", "delivery.ehlo_name");
    }
}
