package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackSectionTest {

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    private static final String FEEDBACK_LISTENER = """
            listeners:
              - name: relay
                port: 2525
              - name: bounces
                port: 2526
                role: feedback
            """;

    @Test
    void shouldDefaultToNoFeedbackAndRelayListeners() throws Exception {
        Settings s = SettingsLoader.parse("", "conf/sluice.yaml");
        assertThat(s.feedback()).isEqualTo(FeedbackSettings.defaults());
        assertThat(s.feedback().keyFile(Path.of("/var/lib/sluice"))).isEqualTo(Path.of("/var/lib/sluice/feedback.key"));
        assertThat(s.listeners()).allMatch(l -> l.role() == ListenerSettings.Role.RELAY);
        assertThat(s.feedbackDomains()).isEmpty();
    }

    @Test
    void shouldTakeTheRoutesVerpDomainsAndTheFeedbackDomains() throws Exception {
        Settings s = SettingsLoader.parse(FEEDBACK_LISTENER + """
                routes:
                  - name: bulk
                    match: {sender_domains: [news.example.com]}
                    pool: default
                    verp: {domain: Bounces.Example.COM}
                  - name: default
                    pool: default
                feedback:
                  key_file: /etc/sluice/feedback.key
                  domains: [fbl.example.com, bücher.example]
                  index_days: 7
                """, "conf/sluice.yaml");
        assertThat(s.listener("bounces").role()).isEqualTo(ListenerSettings.Role.FEEDBACK);
        assertThat(s.egress().routes().get(0).verp()).isEqualTo(new RouteSettings.Verp("bounces.example.com"));
        assertThat(s.egress().routes().get(1).verp()).isNull();
        assertThat(s.feedbackDomains()).containsExactly("bounces.example.com", "fbl.example.com",
                "xn--bcher-kva.example");
        assertThat(s.feedback().indexDays()).isEqualTo(7);
        assertThat(s.feedback().keyFile(Path.of("/x"))).isEqualTo(Path.of("/etc/sluice/feedback.key"));
    }

    @Test
    void shouldRefuseAFeedbackListenerWithNothingToTakeAndBadDomains() {
        assertThat(errors(FEEDBACK_LISTENER)).singleElement().asString()
                .contains("listeners").contains("bounces has role feedback")
                .contains("give feedback.domains, or verp.domain on a route");
        assertThat(errors(FEEDBACK_LISTENER + "feedback:\n  domains: [.example.com, 'a b', fbl.example.com,"
                + " fbl.example.com]\n  index_days: 0\n"))
                .anySatisfy(e -> assertThat(e).contains("feedback.domains[0]").contains("not a domain name"))
                .anySatisfy(e -> assertThat(e).contains("feedback.domains[1]"))
                .anySatisfy(e -> assertThat(e).contains("feedback.domains[3]").contains("already in this list"))
                .anySatisfy(e -> assertThat(e).contains("feedback.index_days"));
        assertThat(errors("routes:\n  - name: default\n    pool: default\n    verp: {domain: .example.com}\n"))
                .singleElement().asString().contains("routes[0].verp.domain").contains("not a domain name");
        assertThat(errors("routes:\n  - name: default\n    pool: default\n    verp: {}\n"))
                .singleElement().asString().contains("routes[0].verp.domain").contains("required");
        assertThat(errors("listeners:\n  - name: x\n    role: bounce\n")).singleElement().asString()
                .contains("listeners[0].role");
    }

    @Test
    void shouldReadUnsubscribeRoutesAndTheWebListener() throws Exception {
        Settings s = SettingsLoader.parse(FEEDBACK_LISTENER + """
                routes:
                  - name: bulk
                    match: {sender_domains: [news.example.com]}
                    pool: default
                    unsubscribe: {url_base: "https://u.example.com/", mailto: true}
                  - name: default
                    pool: default
                    verp: {domain: bounces.example.com}
                    unsubscribe: {url_base: "https://u.example.com:8443/x"}
                feedback:
                  domains: [fbl.example.com]
                web:
                  enabled: true
                  address: 0.0.0.0
                  port: 8443
                  max_requests_per_ip: 10
                """, "conf/sluice.yaml");
        assertThat(s.egress().routes().get(0).unsubscribe())
                .isEqualTo(new RouteSettings.Unsubscribe("https://u.example.com", true, "fbl.example.com"));
        assertThat(s.egress().routes().get(1).unsubscribe())
                .isEqualTo(new RouteSettings.Unsubscribe("https://u.example.com:8443/x", false, null));
        assertThat(s.web()).isEqualTo(new WebSettings(true, "0.0.0.0", 8443, null, null, 256, 10,
                io.sluice.util.CidrSet.parse(java.util.List.of())));
        assertThat(SettingsLoader.parse("", "x.yaml").web()).isEqualTo(WebSettings.defaults());
    }

    @Test
    void shouldRefuseUnsubscribeWithoutWebOrAMailDomainAndABadUrl() {
        String route = "routes:\n  - name: default\n    pool: default\n    unsubscribe: ";
        assertThat(errors(route + "{url_base: \"https://u.example.com\"}\n")).singleElement().asString()
                .contains("routes").contains("web listener is off").contains("web.enabled: true");
        String web = "web:\n  enabled: true\n";
        assertThat(errors(route + "{url_base: \"http://u.example.com\"}\n" + web)).singleElement().asString()
                .contains("routes[0].unsubscribe.url_base").contains("not an https URL");
        assertThat(errors(route + "{url_base: \"https://u.example.com/?a=b\"}\n" + web)).singleElement()
                .asString().contains("query");
        assertThat(errors(route + "{mailto: true}\n" + web)).anySatisfy(e -> assertThat(e)
                .contains("routes[0].unsubscribe.url_base").contains("required"));
        assertThat(errors(route + "{url_base: \"https://u.example.com\", mailto: true}\n" + web))
                .singleElement().asString().contains("routes[0].unsubscribe.mailto").contains("verp.domain");
        assertThat(errors("web:\n  enabled: true\n  port: 2525\n")).singleElement().asString()
                .contains("web.port").contains("collides with listener default");
        assertThat(errors("web:\n  tls_cert: /etc/hosts\n")).singleElement().asString().contains("web.tls_key")
                .contains("both");
    }
}
