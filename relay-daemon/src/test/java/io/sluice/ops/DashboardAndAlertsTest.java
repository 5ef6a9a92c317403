package io.sluice.ops;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shape of the shipped Grafana dashboard and Prometheus alerts: what an operator importing them relies on
 * (a datasource input, unique panel ids, the panels and alerts operations needs, severity and annotations on every
 * alert). Their PromQL is checked by promtool in .ci/run and their metric names by {@link MetricNamesTest}.
 */
class DashboardAndAlertsTest {
    private static final String DS = "${DS_PROMETHEUS}";

    @Test
    @SuppressWarnings("unchecked")
    void shouldDeclareThePrometheusDatasourceInputAndUseItEverywhere() {
        Map<String, Object> dashboard = OpsFiles.dashboard();
        assertThat(((Number) dashboard.get("schemaVersion")).intValue()).isBetween(36, 41);
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) dashboard.get("__inputs");
        assertThat(inputs).anySatisfy(i -> {
            assertThat(i).containsEntry("name", "DS_PROMETHEUS").containsEntry("pluginId", "prometheus");
        });
        for (Map<String, Object> panel : OpsFiles.panels(dashboard)) {
            if (panel.get("type").equals("row")) {
                continue;
            }
            assertThat((Map<String, Object>) panel.get("datasource")).as("datasource of %s", panel.get("title"))
                    .containsEntry("uid", DS);
            List<Map<String, Object>> targets = (List<Map<String, Object>>) panel.get("targets");
            assertThat(targets).as("targets of %s", panel.get("title")).isNotEmpty().allSatisfy(t -> {
                assertThat((Map<String, Object>) t.get("datasource")).containsEntry("uid", DS);
                assertThat((String) t.get("expr")).isNotBlank();
            });
        }
    }

    @Test
    void shouldGiveEveryPanelAUniqueId() {
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> panel : OpsFiles.panels(OpsFiles.dashboard())) {
            assertThat(seen.add(panel.get("id"))).as("unique id of %s", panel.get("title")).isTrue();
        }
    }

    @Test
    void shouldChartThroughputQueueLatencySitesConnectionsJournalAndDns() {
        List<String> exprs = OpsFiles.dashboardExprs(OpsFiles.dashboard());
        String all = String.join("\n", exprs);
        assertThat(all).contains("sluice_messages_received_total", "outcome=\"deferred\"", "outcome=\"bounced\"",
                "sluice_queue_scheduled_recipients", "sluice_queue_ready_recipients",
                "sluice_queue_in_flight_recipients", "sluice_queue_pending_recipients", "sum by (site)",
                "sluice_connections_current", "sluice_journal_free_bytes", "sluice_dns_lookup_failures_total",
                "sluice_dead_sites");
        for (String histogram : List.of("sluice_submission_seconds", "sluice_delivery_attempt_seconds",
                "sluice_delivery_end_to_end_seconds", "sluice_journal_sync_seconds")) {
            assertThat(exprs).as("a percentile of " + histogram)
                    .anyMatch(e -> e.startsWith("histogram_quantile(") && e.contains(histogram + "_bucket"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveEveryAlertADelaySeverityAndAnnotations() {
        List<Map<String, Object>> rules = OpsFiles.alertRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(10).allSatisfy(rule -> {
            assertThat(rule).as("rule %s", rule.get("alert")).containsKeys("alert", "expr", "for");
            assertThat(((Map<String, Object>) rule.get("labels")).get("severity")).as("severity of %s", rule.get("alert"))
                    .isIn("critical", "warning");
            assertThat((Map<String, Object>) rule.get("annotations")).as("annotations of %s", rule.get("alert"))
                    .containsKeys("summary", "description");
        });
        Set<String> names = rules.stream().map(r -> (String) r.get("alert")).collect(Collectors.toSet());
        assertThat(names).as("unique alert names").hasSize(rules.size());
    }

    @Test
    void shouldAlertOnWhatIssueFourAsksFor() {
        Set<String> names = OpsFiles.alertRules().stream().map(r -> (String) r.get("alert"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).contains("SluiceDown", "SluiceQueueGrowing", "SluiceOldestMessageTooOld",
                "SluiceDeferralRateHigh", "SluiceBounceRateHigh", "SluiceJournalDiskNearlyFull",
                "SluiceNoDeliveries", "SluiceDeadSites", "SluiceJournalSyncSlow");
    }

    @Test
    void shouldRejectWhatGrafanaWouldNotImport() {
        assertThat(StrictJson.parse("{\"a\": [1, -2.5e3, true, null, \"x\\u0041\"]}"))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -2500.0, true, null, "xA")));
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": [1, 2,]}")).hasMessageStartingWith("1:13: ");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> StrictJson.parse("{'a': 1}")).hasMessageContaining("was expecting double-quote");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 01}")).hasMessageContaining("Leading zeroes not allowed");
        assertThatThrownBy(() -> StrictJson.parse("{} // note")).hasMessageContaining("comment");
        assertThatThrownBy(() -> StrictJson.parse("{} {}")).hasMessageContaining("Trailing token");
    }
}
