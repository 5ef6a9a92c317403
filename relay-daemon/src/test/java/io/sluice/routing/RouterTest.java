package io.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.EgressSettings;
import io.sluice.config.LaneSettings;
import io.sluice.config.PoolSettings;
import io.sluice.config.RouteSettings;
import io.sluice.config.SettingsLoader;
import io.sluice.config.SmarthostSettings;
import io.sluice.config.SourceSettings;
import io.sluice.model.RouteInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route evaluation: each match key, first match in file order, the default route, and the shared results. */
class RouterTest {

    private static final String CONFIG = """
            listeners:
              - name: mx
              - name: submission
                port: 2587
            sources:
              - name: ip1
                address: 127.0.0.2
                ehlo_name: mta1.example.com
              - name: ip2
                address: 127.0.0.3
                ehlo_name: mta2.example.com
            pools:
              - name: default
                sources: [{source: ip1, weight: 1}, {source: ip2, weight: 3}]
              - name: second
                sources: [{source: ip2}]
            smarthosts:
              - {name: esp-a, host: 127.0.0.21, port: 587}
              - {name: esp-b, host: relay.example.net, tls: required}
            routes:
              - {name: by-sender, match: {sender_domains: [shop.example]}, pool: second, lane: transactional}
              - {name: by-sub-sender, match: {sender_domains: [.corp.example]}, pool: second}
              - {name: by-recipient, match: {recipient_domains: [gmail.com, bücher.example]}, pool: second}
              - {name: by-auth, match: {auth_users: [app1]}, smarthosts: [esp-b, esp-a], pool: second, lane: bulk}
              - {name: by-listener, match: {listeners: [submission]}, smarthosts: [esp-a]}
              - {name: by-stream, match: {streams: [bulk]}, pool: second, lane: bulk}
              - {name: all-keys, match: {sender_domains: [a.example], recipient_domains: [b.example],
                   auth_users: [u], listeners: [mx], streams: [s]}, pool: second}
              - {name: default, pool: default}
            """;

    private static Router router() throws Exception {
        return Router.compile(SettingsLoader.parse(CONFIG, "x.yaml").egress());
    }

    private static String routeOf(String sender, String auth, String listener, String stream, String rcptDomain)
            throws Exception {
        return router().route(RouteInputs.of(sender, auth, listener, stream), rcptDomain).name();
    }

    @Test
    void shouldMatchSenderDomainsExactlyAndCaseInsensitively() throws Exception {
        assertThat(routeOf("a@shop.example", "", "", "", "x.example")).isEqualTo("by-sender");
        assertThat(routeOf("a@SHOP.Example", "", "", "", "x.example")).isEqualTo("by-sender");
        assertThat(routeOf("a@eu.shop.example", "", "", "", "x.example")).as("no subdomain without a dot entry")
                .isEqualTo("default");
        assertThat(routeOf("", "", "", "", "x.example")).as("null sender").isEqualTo("default");
    }

    @Test
    void shouldMatchSubdomainsOfADotEntryButNotTheDomainItself() throws Exception {
        assertThat(routeOf("a@mail.corp.example", "", "", "", "x.example")).isEqualTo("by-sub-sender");
        assertThat(routeOf("a@b.mail.corp.example", "", "", "", "x.example")).isEqualTo("by-sub-sender");
        assertThat(routeOf("a@corp.example", "", "", "", "x.example")).isEqualTo("default");
        assertThat(routeOf("a@notcorp.example", "", "", "", "x.example")).isEqualTo("default");
    }

    @Test
    void shouldMatchRecipientDomainsInEitherIdnForm() throws Exception {
        assertThat(routeOf("a@x.example", "", "", "", "gmail.com")).isEqualTo("by-recipient");
        assertThat(routeOf("a@x.example", "", "", "", "xn--bcher-kva.example")).isEqualTo("by-recipient");
        assertThat(routeOf("a@x.example", "", "", "", "bücher.example")).isEqualTo("by-recipient");
        assertThat(routeOf("a@x.example", "", "", "", "googlemail.com")).isEqualTo("default");
    }

    @Test
    void shouldMatchAuthUsersListenersAndStreamsExactly() throws Exception {
        assertThat(routeOf("a@x.example", "app1", "", "", "y.example")).isEqualTo("by-auth");
        assertThat(routeOf("a@x.example", "APP1", "", "", "y.example")).isEqualTo("default");
        assertThat(routeOf("a@x.example", "", "submission", "", "y.example")).isEqualTo("by-listener");
        assertThat(routeOf("a@x.example", "", "mx", "", "y.example")).isEqualTo("default");
        assertThat(routeOf("a@x.example", "", "", "bulk", "y.example")).isEqualTo("by-stream");
        assertThat(routeOf("a@x.example", "", "", "Bulk", "y.example")).isEqualTo("default");
    }

    @Test
    void shouldNeedEveryGivenKeyToFit() throws Exception {
        assertThat(routeOf("x@a.example", "u", "mx", "s", "b.example")).isEqualTo("all-keys");
        assertThat(routeOf("x@a.example", "u", "mx", "other", "b.example")).isEqualTo("default");
        assertThat(routeOf("x@a.example", "u", "", "s", "b.example")).isEqualTo("default");
        assertThat(routeOf("x@a.example", "u", "mx", "s", "c.example")).isEqualTo("default");
    }

    @Test
    void shouldTakeTheFirstMatchInFileOrder() throws Exception {
        // by-sender (first) and by-auth and by-stream all fit
        assertThat(routeOf("a@shop.example", "app1", "submission", "bulk", "gmail.com")).isEqualTo("by-sender");
        // by-recipient comes before by-auth
        assertThat(routeOf("a@x.example", "app1", "", "", "gmail.com")).isEqualTo("by-recipient");
        // by-auth comes before by-listener
        assertThat(routeOf("a@x.example", "app1", "submission", "", "y.example")).isEqualTo("by-auth");
    }

    @Test
    void shouldFallBackToTheDefaultRouteForUnknownInputs() throws Exception {
        assertThat(router().route(RouteInputs.UNKNOWN, "y.example").name()).isEqualTo("default");
    }

    @Test
    void shouldResolvePathsLanesAndShareTheRouteObjects() throws Exception {
        Router router = router();
        Route byAuth = router.route(RouteInputs.of("", "app1", "", ""), "y.example");
        assertThat(byAuth.lane()).isEqualTo(new Lane("bulk", 1));
        SmarthostPath path = (SmarthostPath) byAuth.path();
        assertThat(path.smarthosts()).extracting(SmarthostSettings::name).containsExactly("esp-b", "esp-a");
        assertThat(path.bindPool().name()).isEqualTo("second");

        Route byListener = router.route(RouteInputs.of("", "", "submission", ""), "y.example");
        assertThat(((SmarthostPath) byListener.path()).bindPool()).isNull();
        assertThat(byListener.lane()).isEqualTo(new Lane("default", 1));

        Route fallback = router.route(RouteInputs.UNKNOWN, "y.example");
        assertThat(fallback.lane()).isEqualTo(new Lane("default", 1));
        Pool pool = ((PoolPath) fallback.path()).pool();
        assertThat(pool.sources()).containsExactly(
                new WeightedSource(new SourceSettings("ip1", "127.0.0.2", "mta1.example.com", false), 1),
                new WeightedSource(new SourceSettings("ip2", "127.0.0.3", "mta2.example.com", false), 3));

        assertThat(router.route(RouteInputs.of("a@shop.example", "", "", ""), "y.example").lane())
                .isEqualTo(new Lane("transactional", 4));
        assertThat(router.route(RouteInputs.UNKNOWN, "z.example")).isSameAs(fallback);
        assertThat(router.routes()).hasSize(8).last().isSameAs(fallback);
    }

    @Test
    void shouldCompileTheDefaults() {
        Router router = Router.compile(SettingsLoader.defaults().egress());
        Route route = router.route(RouteInputs.UNKNOWN, "example.com");
        assertThat(route.name()).isEqualTo("default");
        assertThat(((PoolPath) route.path()).pool().sources()).singleElement()
                .satisfies(w -> assertThat(w.source().name()).isEqualTo("default"));
    }

    @Test
    void shouldRefuseSettingsWithoutADefaultRoute() {
        EgressSettings e = SettingsLoader.defaults().egress();
        EgressSettings broken = new EgressSettings(e.sources(), e.pools(), e.smarthosts(),
                List.of(new RouteSettings("x", new RouteSettings.Match(List.of(), List.of(), List.of("u"), List.of(),
                        List.of()), LaneSettings.DEFAULT_NAME, PoolSettings.DEFAULT_NAME, List.of())),
                e.lanes(), e.quotas());
        assertThatThrownBy(() -> Router.compile(broken)).isInstanceOf(IllegalArgumentException.class);
    }
}
