package io.sluice.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of the daemon's configuration, built and validated once by {@link SettingsLoader}.
 *
 * <p>Contract: every field is already validated and carries its default when the file omitted it. A reload builds a
 * new snapshot and swaps the reference atomically (see {@link SettingsHolder}); nothing mutates a snapshot.
 *
 * @param source      the file this snapshot was read from (for messages), or null when built in code
 * @param listeners   SMTP listeners, at least one, unique names and unique address:port pairs
 * @param smtp        ingress protocol limits and timeouts
 * @param journal     journal location and durability
 * @param queue       queue limits
 * @param admin       admin HTTP endpoint
 * @param dns         DNS resolution for delivery
 * @param delivery    outbound delivery: MX port, SMTP client timeouts, connection limits, retries
 * @param events      the lifecycle event log: JSON-lines file, rotation, events/ stream cap
 * @param egress      egress paths: sources, pools, smarthosts, routes, lanes, quotas
 * @param shaping     per-ISP traffic shaping: the shaping file, its overrides and their rules (off without a file)
 * @param bounces     bounce classification: the rules files and their rules
 * @param feedback    the feedback loop: VERP key, feedback domains, how long sent mail can be matched
 * @param web         the public HTTP listener for one-click unsubscribe
 * @param dkim        the DKIM signing keys, loaded
 * @param mtaSts      MTA-STS (RFC 8461) for direct delivery
 */
public record Settings(
        Path source,
        List<ListenerSettings> listeners,
        SmtpSettings smtp,
        JournalSettings journal,
        QueueSettings queue,
        AdminSettings admin,
        DnsSettings dns,
        DeliverySettings delivery,
        EventsSettings events,
        EgressSettings egress,
        ShapingSettings shaping,
        BounceRuleSettings bounces,
        FeedbackSettings feedback,
        WebSettings web,
        DkimSettings dkim,
        MtaStsSettings mtaSts) {

    public Settings {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(shaping, "shaping");
        Objects.requireNonNull(bounces, "bounces");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(mtaSts, "mtaSts");
    }

    /** A snapshot with the default {@code mta_sts} section. */
    public Settings(Path source, List<ListenerSettings> listeners, SmtpSettings smtp, JournalSettings journal,
                    QueueSettings queue, AdminSettings admin, DnsSettings dns, DeliverySettings delivery,
                    EventsSettings events, EgressSettings egress, ShapingSettings shaping,
                    BounceRuleSettings bounces, FeedbackSettings feedback, WebSettings web, DkimSettings dkim) {
        this(source, listeners, smtp, journal, queue, admin, dns, delivery, events, egress, shaping, bounces,
                feedback, web, dkim, MtaStsSettings.defaults());
    }

    /** A snapshot without {@code feedback}, {@code web} and {@code dkim} sections (their defaults). */
    public Settings(Path source, List<ListenerSettings> listeners, SmtpSettings smtp, JournalSettings journal,
                    QueueSettings queue, AdminSettings admin, DnsSettings dns, DeliverySettings delivery,
                    EventsSettings events, EgressSettings egress, ShapingSettings shaping,
                    BounceRuleSettings bounces) {
        this(source, listeners, smtp, journal, queue, admin, dns, delivery, events, egress, shaping, bounces,
                FeedbackSettings.defaults(), WebSettings.defaults(), DkimSettings.none());
    }

    /** This snapshot with {@code next} as its shaping (the loader adds the rules read from the shaping files). */
    public Settings withShaping(ShapingSettings next) {
        return new Settings(source, listeners, smtp, journal, queue, admin, dns, delivery, events, egress, next,
                bounces, feedback, web, dkim, mtaSts);
    }

    /** This snapshot with {@code next} as its bounce rules (the loader adds the rules read from the rules files). */
    public Settings withBounces(BounceRuleSettings next) {
        return new Settings(source, listeners, smtp, journal, queue, admin, dns, delivery, events, egress, shaping,
                next, feedback, web, dkim, mtaSts);
    }

    /**
     * The domains a {@code role: feedback} listener takes mail for: every route's VERP domain, then
     * {@code feedback.domains}; lower case, A-labels, each once.
     */
    public List<String> feedbackDomains() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        for (RouteSettings r : egress.routes()) {
            if (r.verp() != null) {
                all.add(r.verp().domain());
            }
        }
        all.addAll(feedback.domains());
        return List.copyOf(all);
    }

    /** The listener with this name, or null. */
    public ListenerSettings listener(String name) {
        for (ListenerSettings l : listeners) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}
