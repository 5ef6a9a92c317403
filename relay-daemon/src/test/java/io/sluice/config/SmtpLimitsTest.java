package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounds and cross-checks of the smtp, journal and queue sections. */
class SmtpLimitsTest {

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldEnforceRfcMinimumLineLengths() {
        String yaml = """
                smtp:
                  max_command_line: 256
                  max_text_line: 998
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: smtp.max_command_line: 256 is below the minimum of 512 (RFC 5321 4.5.3.1.4)",
                "conf/sluice.yaml:3: smtp.max_text_line: 998 is below the minimum of 1000 (RFC 5321 4.5.3.1.6)");
    }

    @Test
    void shouldRefuseAPostmasterAddressThatIsNotADeliverableMailbox() {
        String yaml = """
                smtp:
                  postmaster_address: ops@dom.test,evil@dom.test
                """;
        assertThat(errors(yaml)).containsExactly("conf/sluice.yaml:2: smtp.postmaster_address: "
                + "ops@dom.test,evil@dom.test is not a mailbox (character not allowed in a domain)");
        assertThat(errors("smtp:\n  postmaster_address: root@localhost\n")).singleElement().asString()
                .endsWith("needs a fully qualified domain name that Sluice can deliver to");
        assertThat(errors("smtp:\n  postmaster_address: postmaster\n")).singleElement().asString()
                .contains("is not a mailbox (no @domain)");
    }

    @Test
    void shouldEnforceSaneUpperBounds() {
        String yaml = """
                smtp:
                  max_command_line: 1MiB
                  max_message_size: 2GiB
                  max_errors: 5000
                  command_timeout: 2d
                  max_soft_delay: 5m
                  max_inflight_data_bytes: 4TiB
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: smtp.max_command_line: 1MiB is above the maximum of 64KiB",
                "conf/sluice.yaml:3: smtp.max_message_size: 2GiB is above the maximum of 1GiB",
                "conf/sluice.yaml:4: smtp.max_errors: 5000 is above the maximum of 1000",
                "conf/sluice.yaml:5: smtp.command_timeout: 2d is above the maximum of 1d",
                "conf/sluice.yaml:6: smtp.max_soft_delay: 5m is above the maximum of 1m",
                "conf/sluice.yaml:7: smtp.max_inflight_data_bytes: 4TiB is above the maximum of 1TiB");
    }

    @Test
    void shouldRequirePositiveLimitsAndTimeouts() {
        String yaml = """
                smtp:
                  max_message_size: 512
                  max_recipients: 0
                  max_connections: -3
                  hop_limit: 0
                  data_timeout: 0ms
                  data_deadline: 0s
                  min_data_rate: -1
                  evict_stalled_after: 2d
                queue:
                  max_pending_recipients: 0
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: smtp.max_message_size: 512 is below the minimum of 1KiB",
                "conf/sluice.yaml:3: smtp.max_recipients: 0 is below the minimum of 1",
                "conf/sluice.yaml:4: smtp.max_connections: -3 is below the minimum of 1",
                "conf/sluice.yaml:5: smtp.hop_limit: 0 is below the minimum of 1",
                "conf/sluice.yaml:6: smtp.data_timeout: 0ms is below the minimum of 1ms",
                "conf/sluice.yaml:7: smtp.data_deadline: 0s is below the minimum of 1ms",
                "conf/sluice.yaml:8: smtp.min_data_rate: -1 is below the minimum of 0",
                "conf/sluice.yaml:9: smtp.evict_stalled_after: 2d is above the maximum of 1d",
                "conf/sluice.yaml:11: queue.max_pending_recipients: 0 is below the minimum of 1");
    }

    @Test
    void shouldCrossCheckAtTheKeyTheFileSets() {
        assertThat(errors("smtp:\n  max_connections_per_ip: 2000\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.max_connections_per_ip: 2000 is above max_connections (1000)");
        assertThat(errors("smtp:\n  max_connections: 10\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.max_connections: 10 is below max_connections_per_ip (50)");
        assertThat(errors("smtp:\n  max_command_line: 8KiB\n  max_pipelined_bytes: 4KiB\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.max_command_line: 8KiB is above max_pipelined_bytes (4KiB)");
        assertThat(errors("smtp:\n  max_message_size: 512MiB\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.max_message_size: 512MiB is above max_inflight_data_bytes (256MiB)");
    }

    @Test
    void shouldSkipCrossChecksAgainstAValueAlreadyReported() {
        assertThat(errors("smtp:\n  max_connections: lots\n  max_connections_per_ip: 2000\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.max_connections: lots is not a whole number");
    }

    @Test
    void shouldValidateTheHostname() throws Exception {
        assertThat(errors("smtp:\n  hostname: mail_1.example\n")).containsExactly(
                "conf/sluice.yaml:2: smtp.hostname: mail_1.example is not a valid host name (letters, digits, '-'"
                        + " and '.')");
        assertThat(errors("smtp:\n  hostname: 192.0.2.1\n")).hasSize(1);
        assertThat(SettingsLoader.parse("smtp:\n  hostname: relay-1.example.org\n", "x.yaml").smtp().hostname())
                .isEqualTo("relay-1.example.org");
    }

    @Test
    void shouldAcceptZeroWhereZeroMeansOff() throws Exception {
        Settings s = SettingsLoader.parse("""
                smtp:
                  max_soft_delay: 0s
                  min_data_rate: 0
                  evict_stalled_after: 0s
                journal:
                  min_free: 0
                listeners:
                  - name: a
                    auth:
                      cache_ttl: 0s
                """, "x.yaml");
        assertThat(s.smtp().maxSoftDelay()).isEqualTo(Duration.ZERO);
        assertThat(s.smtp().minDataRateBytesPerSec()).isZero();
        assertThat(s.smtp().evictStalledAfter()).isEqualTo(Duration.ZERO);
        assertThat(s.journal().minFreeBytes()).isZero();
        assertThat(s.listener("a").auth().cacheTtl()).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldRejectUnknownSyncAndBareLfPolicies() {
        assertThat(errors("journal:\n  sync: always\nsmtp:\n  bare_lf: strip\n")).containsExactly(
                "conf/sluice.yaml:2: journal.sync: always is not one of batch, none",
                "conf/sluice.yaml:4: smtp.bare_lf: strip is not one of normalize, reject");
    }
}
