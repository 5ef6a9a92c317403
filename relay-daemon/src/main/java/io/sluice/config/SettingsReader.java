package io.sluice.config;

import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns a composed sluice.yaml document into a {@link Settings} snapshot, section by section.
 *
 * <p>Top-level keys: {@code listeners}, {@code smtp}, {@code journal}, {@code queue}, {@code admin}, {@code dns},
 * {@code delivery}, {@code events}, and the egress keys {@code sources}, {@code pools}, {@code smarthosts},
 * {@code routes}, {@code lanes}, {@code quotas} ({@link EgressSection}), {@code bounces} ({@link BouncesSection}),
 * {@code feedback} ({@link FeedbackSection}), {@code web} ({@link WebSection}), {@code dkim} ({@link DkimSection}), {@code mta_sts} ({@link MtaStsSection}) and {@code shaping}
 * ({@link ShapingSection}: which files; the loader reads them); each may be absent or null, which means all of its defaults. Problems go to the given
 * {@link ConfigErrors}; when there are any, the returned snapshot holds defaults in their place and must be
 * discarded (the loader throws instead). {@code delivery.ehlo_name} defaults to {@code smtp.hostname}, so smtp is
 * read first; the egress keys default from {@code delivery} and refer to listeners, so they are read last.
 */
final class SettingsReader {

    private SettingsReader() {
    }

    static Settings read(Node document, Path source, ConfigErrors errors) {
        YamlMapping doc = YamlMapping.root(document, errors);
        List<ListenerSettings> listeners = ListenersSection.read(doc);
        SmtpSettings smtp = SmtpSection.read(doc.mapping("smtp"));
        JournalSettings journal = JournalSection.read(doc.mapping("journal"));
        QueueSettings queue = QueueSection.read(doc.mapping("queue"));
        AdminSettings admin = AdminSection.read(doc.mapping("admin"), listeners);
        DnsSettings dns = DnsSection.read(doc.mapping("dns"));
        DeliverySettings delivery = DeliverySection.read(doc.mapping("delivery"), smtp.hostname());
        EventsSettings events = EventsSection.read(doc.mapping("events"));
        FeedbackSettings feedback = FeedbackSection.read(doc.mapping("feedback"));
        EgressSettings egress = EgressSection.read(doc, listeners, delivery, feedback.domains());
        ShapingSettings shaping = ShapingSection.read(doc.mapping("shaping"));
        BounceRuleSettings bounces = BouncesSection.read(doc.mapping("bounces"));
        WebSettings web = WebSection.read(doc.mapping("web"), listeners, admin);
        DkimSettings dkim = DkimSection.read(doc);
        MtaStsSettings mtaSts = MtaStsSection.read(doc.mapping("mta_sts"));
        doc.finish();
        Settings settings = new Settings(source, listeners, smtp, journal, queue, admin, dns, delivery, events,
                egress, shaping, bounces, feedback, web, dkim, mtaSts);
        if (dkim.keys().isEmpty()) {
            for (ListenerSettings l : listeners) {
                if (l.dkimRequired()) {
                    doc.error("listeners", "listener " + l.name() + " has dkim_required but no dkim keys are"
                            + " configured: it would refuse every message (add dkim keys, or drop dkim_required)");
                }
            }
        }
        if (!web.enabled()) {
            for (RouteSettings r : egress.routes()) {
                if (r.unsubscribe() != null) {
                    doc.error("routes", "route " + r.name() + " adds one-click unsubscribe links, but the web"
                            + " listener is off: set web.enabled: true (the POST must reach this instance's"
                            + " suppression list)");
                }
            }
        }
        if (settings.feedbackDomains().isEmpty()) {
            for (ListenerSettings l : listeners) {
                if (l.role() == ListenerSettings.Role.FEEDBACK) {
                    doc.error("listeners", "listener " + l.name() + " has role feedback but there is no domain for"
                            + " it to take mail for: give feedback.domains, or verp.domain on a route");
                }
            }
        }
        return settings;
    }
}
