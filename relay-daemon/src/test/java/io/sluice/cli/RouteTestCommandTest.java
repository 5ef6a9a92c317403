package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice route test}: one run per match key, the printed path (pool with sources, smarthosts in failover
 * order with the bind pool), JSON, and the exit codes for an invalid config (1) and bad usage (2).
 */
class RouteTestCommandTest {

    @TempDir
    Path dir;

    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = Files.writeString(dir.resolve("sluice.yaml"), """
                listeners:
                  - name: mx
                  - name: submission
                    port: 2587
                delivery:
                  ehlo_name: relay.example
                sources:
                  - name: ip1
                    address: 127.0.0.2
                    ehlo_name: mta1.example.com
                  - name: ip2
                pools:
                  - name: default
                    sources: [{source: ip2}]
                  - name: bulk
                    sources: [{source: ip1, weight: 1}, {source: ip2, weight: 3}]
                smarthosts:
                  - {name: esp-a, host: 127.0.0.21, port: 587}
                  - {name: esp-b, host: "2001:db8::25", tls: required}
                routes:
                  - {name: shop, match: {sender_domains: [shop.example]}, lane: transactional, pool: bulk}
                  - {name: to-gmail, match: {recipient_domains: [gmail.com, bücher.example]}, pool: bulk}
                  - {name: app1, match: {auth_users: [app1]}, smarthosts: [esp-a, esp-b], pool: bulk, lane: bulk}
                  - {name: submitted, match: {listeners: [submission]}, smarthosts: [esp-b]}
                  - {name: marketing, match: {streams: [bulk]}, lane: bulk, pool: bulk}
                  - {name: default, pool: default}
                """);
    }

    private CliRun routeTest(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "route";
        all[1] = "test";
        all[2] = "-c";
        all[3] = config.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRun.sluice(all);
    }

    @Test
    void shouldRouteBySenderDomainAndPrintThePoolWithItsSources() {
        CliRun run = routeTest("--from", "orders@Shop.Example", "--to", "someone@example.org");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                route: shop
                lane: transactional (weight 4)
                path: direct to MX through pool bulk
                  source ip1 address 127.0.0.2 ehlo mta1.example.com weight 1
                  source ip2 address (kernel chooses) ehlo relay.example weight 3
                """);
    }

    @Test
    void shouldRouteByRecipientDomainGivenInUnicode() {
        CliRun run = routeTest("--from", "a@x.example", "--to", "<leser@Bücher.example>");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("route: to-gmail\nlane: default (weight 1)\n");
        assertThat(routeTest("--from", "a@x.example", "--to", "x@GMAIL.com").out()).startsWith("route: to-gmail\n");
    }

    @Test
    void shouldRouteByAuthUserAndPrintSmarthostsInFailoverOrder() {
        CliRun run = routeTest("--from", "a@x.example", "--to", "b@y.example", "--auth", "app1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                route: app1
                lane: bulk (weight 1)
                path: smarthosts, in failover order
                  1. esp-a 127.0.0.21:587 tls opportunistic
                  2. esp-b [2001:db8::25]:25 tls required
                bind pool: bulk
                  source ip1 address 127.0.0.2 ehlo mta1.example.com weight 1
                  source ip2 address (kernel chooses) ehlo relay.example weight 3
                """);
    }

    @Test
    void shouldRouteByListener() {
        CliRun run = routeTest("--from", "<>", "--to", "b@y.example", "--listener", "submission");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("route: submitted\n")
                .endsWith("bind pool: none (the kernel chooses the source address)\n");
    }

    @Test
    void shouldRouteByStreamAsJson() {
        CliRun run = routeTest("--from", "", "--to", "b@Y.example", "--stream", "bulk", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("{\"route\":\"marketing\",\"recipient_domain\":\"y.example\","
                + "\"lane\":{\"name\":\"bulk\",\"weight\":1},\"path\":{\"type\":\"pool\",\"pool\":{\"name\":\"bulk\","
                + "\"sources\":[{\"name\":\"ip1\",\"address\":\"127.0.0.2\",\"ehlo_name\":\"mta1.example.com\","
                + "\"weight\":1},{\"name\":\"ip2\",\"address\":null,\"ehlo_name\":\"relay.example\",\"weight\":3}]}}}"
                + "\n");
    }

    @Test
    void shouldPrintSmarthostsAsJson() {
        CliRun run = routeTest("--from", "a@x.example", "--to", "b@y.example", "--listener", "submission", "--json");

        assertThat(run.out()).isEqualTo("{\"route\":\"submitted\",\"recipient_domain\":\"y.example\","
                + "\"lane\":{\"name\":\"default\",\"weight\":1},\"path\":{\"type\":\"smarthosts\",\"smarthosts\":"
                + "[{\"name\":\"esp-b\",\"host\":\"2001:db8::25\",\"port\":25,\"tls\":\"required\",\"auth\":false}],"
                + "\"pool\":null}}\n");
    }

    @Test
    void shouldTakeTheDefaultRouteWhenNothingElseFits() {
        CliRun run = routeTest("--from", "a@x.example", "--to", "b@y.example", "--stream", "other");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                route: default
                lane: default (weight 1)
                path: direct to MX through pool default
                  source ip2 address (kernel chooses) ehlo relay.example weight 1
                """);
    }

    @Test
    void shouldExitOneForAnInvalidConfigAndTwoForBadUsage() throws Exception {
        Files.writeString(config, "routes:\n  - name: only\n    match: {streams: [a]}\n    pool: default\n");
        CliRun invalid = routeTest("--from", "a@x.example", "--to", "b@y.example");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains(config + ":1: routes: no default route");

        assertThat(routeTest("--from", "a@x.example").exit()).as("--to missing").isEqualTo(2);
        CliRun noDomain = routeTest("--from", "a@x.example", "--to", "nobody");
        assertThat(noDomain.exit()).isEqualTo(2);
        assertThat(noDomain.err()).contains("--to nobody is not an address with a valid domain");
    }

    @Test
    void shouldBeListedInTheHelpAndTheCompletionScript() {
        assertThat(CliRun.sluice("--help").out()).contains("route");
        assertThat(CliRun.sluice("completion").out()).contains("--listener").contains("--stream");
    }
}
