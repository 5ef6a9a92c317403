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
}
