package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.config.DeliverySettings.OutboundTls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code delivery} section, its nested {@code retry} mapping and its cross-checks. */
class DeliverySectionTest {

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldReadEveryDeliveryKey() throws Exception {
        String yaml = """
                delivery:
                  mx_port: 2525
                  allow_private_mx: true
                  ehlo_name: out1.example.net
                  bind_address: "2001:db8::25"
                  tls: required
                  connect_timeout: 10s
                  greeting_timeout: 1m
                  command_timeout: 2m
                  data_initiation_timeout: 90s
                  data_block_timeout: 150s
                  data_termination_timeout: 5m
                  max_recipients_per_transaction: 50
                  max_connections_per_site: 3
                  max_deliveries_per_connection: 1000
                  connection_max_age: 10m
                  idle_timeout: 5s
                  retry:
                    first: 1m
                    multiplier: 1.5
                    max: 2h
                  max_age: 3d
                  dsn: false
                  assume_delivered_on_dot_timeout: true
                """;
        DeliverySettings d = SettingsLoader.parse(yaml, "x.yaml").delivery();

        assertThat(d).isEqualTo(new DeliverySettings(2525, true, "out1.example.net", "2001:db8::25",
                OutboundTls.REQUIRED, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofSeconds(90), Duration.ofSeconds(150), Duration.ofMinutes(5), 50, 3, 1000,
                Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMinutes(1), 1.5, Duration.ofHours(2),
                Duration.ofDays(3), false, true));
    }

    @Test
    void shouldDefaultTheEhloNameToTheSmtpHostname() throws Exception {
        Settings s = SettingsLoader.parse("smtp:\n  hostname: relay.example.org\n", "x.yaml");
        assertThat(s.delivery().ehloName()).isEqualTo("relay.example.org");

        Settings both = SettingsLoader.parse("smtp:\n  hostname: relay.example.org\ndelivery:\n"
                + "  ehlo_name: out.example.org\n", "x.yaml");
        assertThat(both.delivery().ehloName()).isEqualTo("out.example.org");
        assertThat(both.smtp().hostname()).isEqualTo("relay.example.org");
    }

    @Test
    void shouldAcceptAWholeNumberMultiplierAndOnlyRetryKeysThatAreSet() throws Exception {
        DeliverySettings d = SettingsLoader.parse("delivery:\n  retry:\n    multiplier: 3\n", "x.yaml").delivery();
        assertThat(d.retryMultiplier()).isEqualTo(3.0);
        assertThat(d.retryFirst()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.retryMax()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void shouldRejectInvalidValuesWithFileLineAndKey() {
        String yaml = """
                delivery:
                  mx_port: 0
                  allow_private_mx: yes
                  ehlo_name: bad_name.example
                  bind_address: mx.example.net
                  tls: sometimes
                  connect_timeout: 0s
                  max_recipients_per_transaction: 0
                  max_connections_per_site: 0
                  max_deliveries_per_connection: 0
                  idle_timeout: 2d
                  max_age: 0ms
                  dsn: 1
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: delivery.mx_port: 0 is not a port (1-65535)",
                "conf/sluice.yaml:3: delivery.allow_private_mx: yes is not true or false",
                "conf/sluice.yaml:4: delivery.ehlo_name: bad_name.example is not a valid host name (letters,"
                        + " digits, '-' and '.')",
                "conf/sluice.yaml:5: delivery.bind_address: mx.example.net is not an IP address (write a literal"
                        + " such as 127.0.0.1, ::1 or 0.0.0.0)",
                "conf/sluice.yaml:6: delivery.tls: sometimes is not one of opportunistic, required, verify, none",
                "conf/sluice.yaml:7: delivery.connect_timeout: 0s is below the minimum of 1ms",
                "conf/sluice.yaml:8: delivery.max_recipients_per_transaction: 0 is below the minimum of 1",
                "conf/sluice.yaml:9: delivery.max_connections_per_site: 0 is below the minimum of 1",
                "conf/sluice.yaml:10: delivery.max_deliveries_per_connection: 0 is below the minimum of 1",
                "conf/sluice.yaml:11: delivery.idle_timeout: 2d is above the maximum of 1d",
                "conf/sluice.yaml:12: delivery.max_age: 0ms is below the minimum of 1ms",
                "conf/sluice.yaml:13: delivery.dsn: 1 is not true or false");
    }

    @Test
    void shouldRejectBadRetrySettings() {
        String yaml = """
                delivery:
                  retry:
                    first: 0s
                    multiplier: 0.5
                    max: 31d
                    mutliplier: 2
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: delivery.retry.first: 0s is below the minimum of 1ms",
                "conf/sluice.yaml:4: delivery.retry.multiplier: 0.5 is below the minimum of 1.0 (intervals must"
                        + " not shrink)",
                "conf/sluice.yaml:5: delivery.retry.max: 31d is above the maximum of 30d",
                "conf/sluice.yaml:6: delivery.retry.mutliplier: unknown key (did you mean multiplier?)");
        assertThat(errors("delivery:\n  retry:\n    multiplier: two\n")).containsExactly(
                "conf/sluice.yaml:3: delivery.retry.multiplier: two is not a decimal number (e.g. 2.0)");
        assertThat(errors("delivery:\n  retry:\n    multiplier: 100.5\n")).containsExactly(
                "conf/sluice.yaml:3: delivery.retry.multiplier: 100.5 is above the maximum of 100");
        assertThat(errors("delivery:\n  retry: 5m\n")).containsExactly(
                "conf/sluice.yaml:2: delivery.retry: expected a mapping of keys, got 5m");
    }

    @Test
    void shouldRejectARetryMaximumBelowTheFirstInterval() {
        assertThat(errors("delivery:\n  retry:\n    first: 10m\n    max: 5m\n")).containsExactly(
                "conf/sluice.yaml:4: delivery.retry.max: 5m is below first (10m)");
        assertThat(errors("delivery:\n  retry:\n    first: 5h\n")).containsExactly(
                "conf/sluice.yaml:3: delivery.retry.first: 5h is above max (4h)");
    }
}
