package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.config.QuotaSettings.Rate;
import io.sluice.config.SmarthostSettings.Auth;
import io.sluice.config.SmarthostSettings.Circuit;
import io.sluice.config.SmarthostSettings.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The egress keys: sources, pools, smarthosts, routes, lanes, quotas; their defaults, references and errors. */
class EgressSectionTest {

    @TempDir
    Path dir;

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldDefaultToOneSourcePoolAndRouteMadeFromDelivery() throws Exception {
        EgressSettings e = SettingsLoader.parse("delivery:\n  bind_address: 192.0.2.1\n  ehlo_name: out.example\n",
                "x.yaml").egress();

        assertThat(e.sources()).containsExactly(new SourceSettings("default", "192.0.2.1", "out.example", true));
        assertThat(e.pools()).containsExactly(new PoolSettings("default", List.of(new PoolSettings.Member("default",
                1))));
        assertThat(e.smarthosts()).isEmpty();
        assertThat(e.routes()).containsExactly(new RouteSettings("default", null, "default", "default", List.of()));
        assertThat(e.lanes()).containsExactly(new LaneSettings("transactional", 4), new LaneSettings("bulk", 1),
                new LaneSettings("default", 1));
        assertThat(e.quotas()).isEmpty();
        assertThat(SettingsLoader.defaults().egress().sources().get(0).address()).as("kernel chooses").isNull();
    }

    @Test
    void shouldReadTheIssueExample() throws Exception {
        Path secret = Files.writeString(dir.resolve("esp-a.secret"), "pw\n");
        String yaml = """
                sources:
                  - name: ip1
                    address: 127.0.0.2
                    ehlo_name: mta1.example.com
                  - name: ip2
                    address: "::1"
                pools:
                  - name: bulk
                    sources: [{source: ip1, weight: 1}, {source: ip2, weight: 3}]
                  - name: transactional
                    sources: [{source: ip1}]
                smarthosts:
                  - name: esp-a
                    host: 127.0.0.21
                    port: 587
                    tls: opportunistic
                    auth: {username: relay-user, password_file: %s}
                    circuit: {open_after: 5, cooldown: 1m}
                  - name: esp-b
                    host: smtp.esp-b.example
                routes:
                  - name: receipts
                    match:
                      sender_domains: [Shop.Example, .shop.example]
                      streams: [transactional]
                    lane: transactional
                    pool: transactional
                  - name: marketing-via-esp
                    match: {streams: [bulk], recipient_domains: [bücher.example]}
                    lane: bulk
                    smarthosts: [esp-a, esp-b]
                  - name: default
                    pool: bulk
                lanes: {transactional: 4, bulk: 1, default: 2}
                quotas:
                  - {auth_user: app1, max_rate: 200/s, max_queued: 100000}
                  - {auth_user: app2, max_rate: 36000/h}
                  - {auth_user: app3, max_queued: 5}
                delivery:
                  ehlo_name: relay.example
                """.formatted(secret);
        EgressSettings e = SettingsLoader.parse(yaml, "x.yaml").egress();

        assertThat(e.sources()).containsExactly(new SourceSettings("ip1", "127.0.0.2", "mta1.example.com", false),
                new SourceSettings("ip2", "::1", "relay.example", false));
        assertThat(e.pool("bulk").members()).containsExactly(new PoolSettings.Member("ip1", 1),
                new PoolSettings.Member("ip2", 3));
        assertThat(e.pool("transactional").members()).containsExactly(new PoolSettings.Member("ip1", 1));
        assertThat(e.smarthosts()).containsExactly(
                new SmarthostSettings("esp-a", "127.0.0.21", 587, Tls.OPPORTUNISTIC, new Auth("relay-user", secret),
                        new Circuit(5, Duration.ofMinutes(1))),
                new SmarthostSettings("esp-b", "smtp.esp-b.example", 25, Tls.OPPORTUNISTIC, null, Circuit.DEFAULT));
        assertThat(e.routes()).extracting(RouteSettings::name).containsExactly("receipts", "marketing-via-esp",
                "default");
        RouteSettings receipts = e.routes().get(0);
        assertThat(receipts.match().senderDomains()).containsExactly("shop.example", ".shop.example");
        assertThat(receipts.match().streams()).containsExactly("transactional");
        assertThat(receipts.lane()).isEqualTo("transactional");
        assertThat(receipts.pool()).isEqualTo("transactional");
        RouteSettings esp = e.routes().get(1);
        assertThat(esp.match().recipientDomains()).as("A-labels").containsExactly("xn--bcher-kva.example");
        assertThat(esp.smarthosts()).containsExactly("esp-a", "esp-b");
        assertThat(esp.pool()).isNull();
        assertThat(e.routes().get(2)).isEqualTo(new RouteSettings("default", null, "default", "bulk", List.of()));
        assertThat(e.lanes()).containsExactly(new LaneSettings("transactional", 4), new LaneSettings("bulk", 1),
                new LaneSettings("default", 2));
        assertThat(e.quotas()).containsExactly(
                new QuotaSettings("app1", new Rate(200, Duration.ofSeconds(1)), 100_000),
                new QuotaSettings("app2", new Rate(36_000, Duration.ofHours(1)), 0),
                new QuotaSettings("app3", null, 5));
    }

    @Test
    void shouldReportBadNamesAndReferencesWithFileLineAndKey() {
        List<String> errors = errors("""
                sources:
                  - name: ip1
                    address: mail.example.com
                  - name: ip1
                    ehlo_name: 10.0.0.1
                  - address: 127.0.0.1
                pools:
                  - name: p
                    sources: [{source: nope, weight: 1001}]
                  - name: empty
                    sources: []
                  - name: "bad name"
                    sources: [{source: ip1}, {source: ip1}]
                routes:
                  - name: default
                    pool: p
                """);

        assertThat(errors).containsExactly(
                "conf/sluice.yaml:3: sources[0].address: mail.example.com is not an IP address (write a literal such"
                        + " as 127.0.0.1, ::1 or 0.0.0.0)",
                "conf/sluice.yaml:4: sources[1].name: ip1 is already the name of sources[0] (line 2)",
                "conf/sluice.yaml:5: sources[1].ehlo_name: 10.0.0.1 is not a valid host name (letters, digits, '-'"
                        + " and '.')",
                "conf/sluice.yaml:6: sources[2].name: required (a unique name that pools refer to)",
                "conf/sluice.yaml:9: pools[0].sources[0].source: no source is named nope",
                "conf/sluice.yaml:9: pools[0].sources[0].weight: 1001 is above the maximum of 1000",
                "conf/sluice.yaml:11: pools[1].sources: a pool needs at least one source ([{source: NAME, weight:"
                        + " N}])",
                "conf/sluice.yaml:12: pools[2].name: bad name is not a valid name (letters, digits, '.', '_', '-';"
                        + " at most 64)",
                "conf/sluice.yaml:13: pools[2].sources[1].source: ip1 is already in this pool");
    }

    @Test
    void shouldRequireTheImplicitDefaultsToHaveWhatTheyNeed() {
        assertThat(errors("sources:\n  - name: ip1\n")).containsExactly("conf/sluice.yaml:1: pools: absent, so"
                + " there is one pool default = [default:1], but no source is named default: name a source default,"
                + " or list pools");
        assertThat(errors("pools:\n  - name: p\n    sources: [{source: default}]\n")).containsExactly(
                "conf/sluice.yaml:1: routes: absent, so there is one route default to pool default, but no pool is"
                        + " named default: name a pool default, or list routes");
        assertThat(errors("sources: []\n")).containsExactly("conf/sluice.yaml:1: sources: at least one source is"
                + " needed (leave the key out for one made from delivery.*)");
    }

    @Test
    void shouldValidateSmarthosts() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "pw\n");
        List<String> errors = errors("""
                smarthosts:
                  - name: a
                    port: 0
                    tls: maybe
                    circuit: {open_after: 0, cooldown: 0s}
                  - name: b
                    host: "bad host"
                    tls: none
                    auth: {username: u, password_file: %s}
                  - name: c
                    host: relay.example
                    auth: {password_file: %s}
                """.formatted(secret, dir.resolve("missing")));

        assertThat(errors).containsExactly(
                "conf/sluice.yaml:2: smarthosts[0].host: required (an IP literal or a host name)",
                "conf/sluice.yaml:3: smarthosts[0].port: 0 is not a port (1-65535)",
                "conf/sluice.yaml:4: smarthosts[0].tls: maybe is not one of none, opportunistic, required, verify",
                "conf/sluice.yaml:5: smarthosts[0].circuit.open_after: 0 is below the minimum of 1",
                "conf/sluice.yaml:5: smarthosts[0].circuit.cooldown: 0s is below the minimum of 1s",
                "conf/sluice.yaml:7: smarthosts[1].host: bad host is neither an IP address nor a host name",
                "conf/sluice.yaml:8: smarthosts[1].tls: none with auth would send the password in clear: set tls to"
                        + " required (or opportunistic)",
                "conf/sluice.yaml:12: smarthosts[2].auth.username: required (the AUTH identity)",
                "conf/sluice.yaml:12: smarthosts[2].auth.password_file: " + dir.resolve("missing")
                        + " does not exist");
    }

    @Test
    void shouldValidateRoutes() {
        List<String> errors = errors("""
                listeners:
                  - name: submission
                smarthosts:
                  - name: esp
                    host: 192.0.2.25
                routes:
                  - name: nopath
                    match: {streams: [bulk]}
                  - name: bad-refs
                    match: {listeners: [mx], sender_domains: ["a..b"], auth_users: []}
                    lane: express
                    pool: nope
                    smarthosts: [esp, other]
                  - name: empty-match
                    match: {}
                    pool: default
                  - name: nopath
                    match: {streams: [y]}
                    smarthosts: []
                  - name: default
                    pool: default
                  - name: late
                    match: {streams: [x]}
                    pool: default
                  - name: also-default
                    pool: default
                """);

        assertThat(errors).containsExactly(
                "conf/sluice.yaml:7: routes[0].name: route nopath has no path: give pool (direct to MX through it)"
                        + " or smarthosts (relay through them; pool then optional, whom to bind as)",
                "conf/sluice.yaml:10: routes[1].match.listeners[0]: no listener is named mx (listeners:"
                        + " submission)",
                "conf/sluice.yaml:10: routes[1].match.sender_domains[0]: a..b is not a domain name (write"
                        + " example.com, or .example.com for every subdomain)",
                "conf/sluice.yaml:10: routes[1].match.auth_users: an empty list would match nothing: list at least"
                        + " one value, or leave the key out",
                "conf/sluice.yaml:11: routes[1].lane: no lane is named express (lanes: transactional, bulk,"
                        + " default)",
                "conf/sluice.yaml:12: routes[1].pool: no pool is named nope",
                "conf/sluice.yaml:13: routes[1].smarthosts[1]: no smarthost is named other",
                "conf/sluice.yaml:15: routes[2].match: give at least one of sender_domains, recipient_domains,"
                        + " auth_users, listeners, streams (a route that takes everything has no match)",
                "conf/sluice.yaml:17: routes[3].name: nopath is already the name of routes[0] (line 7)",
                "conf/sluice.yaml:19: routes[3].smarthosts: an empty list: name at least one smarthost, or leave"
                        + " the key out for direct to MX through pool",
                "conf/sluice.yaml:22: routes[5].name: route late can never match: routes[4] (line 20) has no match"
                        + " and takes every message (the route without match must be the last)",
                "conf/sluice.yaml:25: routes[6].name: route also-default can never match: routes[4] (line 20) has"
                        + " no match and takes every message (the route without match must be the last)");
    }

    @Test
    void shouldLimitARouteTo64Smarthosts() {
        StringBuilder yaml = new StringBuilder("smarthosts:\n");
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            yaml.append("  - {name: s").append(i).append(", host: 192.0.2.").append(i + 1).append("}\n");
            names.append(i == 0 ? "" : ", ").append('s').append(i);
        }
        yaml.append("routes:\n  - name: default\n    smarthosts: [").append(names).append("]\n");

        assertThat(errors(yaml.toString())).containsExactly("conf/sluice.yaml:69: routes[0].smarthosts: 65"
                + " smarthosts: at most 64 per route");
    }

    @Test
    void shouldRequireADefaultRoute() {
        assertThat(errors("routes:\n  - name: only\n    match: {streams: [a]}\n    pool: default\n"))
                .containsExactly("conf/sluice.yaml:1: routes: no default route: the last route must have no match,"
                        + " so that every message has a route");
        assertThat(errors("routes: []\n")).containsExactly("conf/sluice.yaml:1: routes: at least one route is"
                + " needed: the last one without match (it takes everything)");
    }

    @Test
    void shouldValidateLanesAndQuotas() {
        List<String> errors = errors("""
                lanes:
                  fast: 0
                  slow: 1001
                  "bad lane": 1
                quotas:
                  - {auth_user: app1, max_rate: 0/s}
                  - {auth_user: app1, max_rate: 10/d, max_queued: 0}
                  - {max_queued: 5}
                  - {auth_user: app2}
                """);

        assertThat(errors).containsExactly(
                "conf/sluice.yaml:2: lanes.fast: 0 is below the minimum of 1",
                "conf/sluice.yaml:3: lanes.slow: 1001 is above the maximum of 1000",
                "conf/sluice.yaml:4: lanes.bad lane: bad lane is not a valid lane name (letters, digits, '.', '_',"
                        + " '-'; at most 64)",
                "conf/sluice.yaml:6: quotas[0].max_rate: 0/s is not a positive rate",
                "conf/sluice.yaml:7: quotas[1].auth_user: app1 already has a quota at quotas[0] (line 6)",
                "conf/sluice.yaml:7: quotas[1].max_rate: 10/d is not a rate (write N/s, N/m or N/h, e.g. 200/s)",
                "conf/sluice.yaml:7: quotas[1].max_queued: 0 is below the minimum of 1",
                "conf/sluice.yaml:8: quotas[2].auth_user: required (the SMTP AUTH identity the quota applies to)",
                "conf/sluice.yaml:9: quotas[3].max_rate: a quota needs max_rate, max_queued or both");
    }

    @Test
    void shouldReportUnknownKeysInEveryEgressMapping() {
        List<String> errors = errors("""
                sources:
                  - {name: default, adress: 127.0.0.1}
                routes:
                  - {name: default, pool: default, match_all: true}
                """);
        assertThat(errors).containsExactly(
                "conf/sluice.yaml:2: sources[0].adress: unknown key (did you mean address?)",
                "conf/sluice.yaml:4: routes[0].match_all: unknown key");
    }
}
