package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code queue} section: site health and restart spread keys, with file:line: key errors. */
class QueueSectionTest {

    @Test
    void shouldReadSiteHealthAndRestartSpread() throws ConfigException {
        Settings s = SettingsLoader.parse("""
                queue:
                  dead_site_failures: 5
                  dead_site_first_probe: 30s
                  dead_site_max_probe: 2h
                  restart_spread: 0s
                  max_in_flight: 64
                """, "q.yaml");
        assertThat(s.queue()).isEqualTo(new QueueSettings(QueueSettings.DEFAULT_MAX_PENDING_RECIPIENTS, 5,
                Duration.ofSeconds(30), Duration.ofHours(2), Duration.ZERO, 64));
    }

    @Test
    void shouldRejectAMaxProbeShorterThanTheFirstProbeNamingLineAndKey() {
        assertThatThrownBy(() -> SettingsLoader.parse("""
                queue:
                  dead_site_first_probe: 10m
                  dead_site_max_probe: 5m
                """, "q.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("q.yaml:3: queue.dead_site_max_probe: 5m");
    }

    @Test
    void shouldRejectZeroFailuresToDie() {
        assertThatThrownBy(() -> SettingsLoader.parse("queue:\n  dead_site_failures: 0\n", "q.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("q.yaml:2: queue.dead_site_failures: 0");
    }
}
