package io.sluice.events;

import io.sluice.model.BounceReason;
import java.util.List;
import java.util.Objects;

/**
 * One lifecycle event (docs/events.md). Fields that do not apply to a type are null (or -1 for numbers) and are left
 * out of the JSON.
 *
 * @param type           what happened
 * @param timeMillis     when, epoch millis
 * @param id             the message's queue id (16 hex digits)
 * @param listener       ingress listener (received)
 * @param client         client IP (received)
 * @param authIdentity   SMTP AUTH identity (received), null when none
 * @param sender         envelope sender, "" for {@code <>} (received)
 * @param recipients     envelope recipients (received)
 * @param sizeBytes      stored size (received)
 * @param recipient      the recipient this event is about (delivery events)
 * @param site           the site key (delivery events)
 * @param mxHost         the MX host name (delivery events)
 * @param source         the source used: its name in {@code sources} (delivery events)
 * @param route          the message's route ({@code routes[].name}; delivery decisions), null before one was chosen
 * @param pool           the pool its source was picked from (delivery decisions), null before one was chosen
 * @param provider       the site's mailbox provider of the shaping rules ({@code default}: none matched; delivery
 *                       decisions), null when shaping is off, for smarthosts and before the site was known
 * @param replyCode      the SMTP reply code, -1 when none (delivery events)
 * @param enhancedStatus the RFC 3463 code, e.g. {@code 5.1.1}
 * @param text           the reply text or our explanation
 * @param attempt        attempt number, from 1 (delivery events), -1 when not applicable
 * @param latencyMillis  attempt duration or end-to-end latency, -1 when not applicable
 * @param action         the operator's command (admin), e.g. {@code suspend}
 * @param target         what it applied to (admin), e.g. {@code domain example.com}, {@code id 1a20...}, {@code all}
 * @param actor          who asked (admin), e.g. {@code admin-api}
 * @param count          recipients affected (admin), -1 when not applicable
 * @param tls            how the session was protected ({@code attempt}, {@code delivered}); null when not known
 * @param reason         the bounce reason (Sisimai's taxonomy: {@code userunknown}, {@code mailboxfull}, ...) of a
 *                       delivery decision ({@code deferred}, {@code bounced}, {@code expired}, {@code delivered}),
 *                       null when not applicable
 * @param hard           for {@code bounced}: whether the address itself is bad (it is suppressed); null otherwise
 */
public record LifecycleEvent(
        EventType type,
        long timeMillis,
        String id,
        String listener,
        String client,
        String authIdentity,
        String sender,
        List<String> recipients,
        long sizeBytes,
        String recipient,
        String site,
        String mxHost,
        String source,
        String route,
        String pool,
        String provider,
        int replyCode,
        String enhancedStatus,
        String text,
        int attempt,
        long latencyMillis,
        String action,
        String target,
        String actor,
        long count,
        TlsSession tls,
        String reason,
        Boolean hard) {

    /**
     * Admin, circuit and shaping events are about a command or a path, not a message: they have no id; nor has an
     * unsubscribe through a link (the link names a recipient and a sender, not a message).
     */
    public LifecycleEvent {
        Objects.requireNonNull(type, "type");
        if (type != EventType.ADMIN && type != EventType.CIRCUIT && type != EventType.SHAPING
                && type != EventType.UNSUBSCRIBE) {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A message was acknowledged. */
    public static LifecycleEvent received(long timeMillis, String id, String listener, String client,
            String authIdentity, String sender, List<String> recipients, long sizeBytes) {
        return new LifecycleEvent(EventType.RECEIVED, timeMillis, id, listener, client, authIdentity, sender,
                recipients, sizeBytes, null, null, null, null, null, null, null, -1, null, null, -1, -1, null, null, null,
                -1, null, null, null);
    }

    /** An event about one recipient's delivery. */
    public static LifecycleEvent delivery(EventType type, long timeMillis, String id, String recipient, String site,
            String mxHost, String source, int replyCode, String enhancedStatus, String text, int attempt,
            long latencyMillis) {
        return delivery(type, timeMillis, id, recipient, site, mxHost, source, replyCode, enhancedStatus, text,
                attempt, latencyMillis, null);
    }

    /** An event about one recipient's delivery through a session protected as {@code tls} (null: not known). */
    public static LifecycleEvent delivery(EventType type, long timeMillis, String id, String recipient, String site,
            String mxHost, String source, int replyCode, String enhancedStatus, String text, int attempt,
            long latencyMillis, TlsSession tls) {
        return delivery(type, timeMillis, id, recipient, site, mxHost, source, null, null, replyCode, enhancedStatus,
                text, attempt, latencyMillis, tls);
    }

    /** A delivery decision about one recipient of a message of {@code route}, sent through {@code pool}. */
    public static LifecycleEvent delivery(EventType type, long timeMillis, String id, String recipient, String site,
            String mxHost, String source, String route, String pool, int replyCode, String enhancedStatus,
            String text, int attempt, long latencyMillis, TlsSession tls) {
        return delivery(type, timeMillis, id, recipient, site, mxHost, source, route, pool, null, replyCode,
                enhancedStatus, text, attempt, latencyMillis, tls);
    }

    /** As above, at a site of mailbox {@code provider} (the shaping rules'; null: shaping off or not known). */
    public static LifecycleEvent delivery(EventType type, long timeMillis, String id, String recipient, String site,
            String mxHost, String source, String route, String pool, String provider, int replyCode,
            String enhancedStatus, String text, int attempt, long latencyMillis, TlsSession tls) {
        return delivery(type, timeMillis, id, recipient, site, mxHost, source, route, pool, provider, replyCode,
                enhancedStatus, text, attempt, latencyMillis, tls, null, null);
    }

    /** As above, with the decision's bounce reason and (for a bounce) whether it is hard. */
    public static LifecycleEvent delivery(EventType type, long timeMillis, String id, String recipient, String site,
            String mxHost, String source, String route, String pool, String provider, int replyCode,
            String enhancedStatus, String text, int attempt, long latencyMillis, TlsSession tls, BounceReason reason,
            Boolean hard) {
        return new LifecycleEvent(type, timeMillis, id, null, null, null, null, null, -1, recipient, site, mxHost,
                source, route, pool, provider, replyCode, enhancedStatus, text, attempt, latencyMillis, null, null,
                null, -1, tls, reason == null ? null : reason.label(), hard);
    }

    /**
     * A bounce or complaint that came back to the feedback listener ({@link EventType#ASYNC_BOUNCE},
     * {@link EventType#COMPLAINT}) about {@code recipient} of message {@code id} from {@code sender}; {@code text}
     * is the report's diagnostic (a complaint's: its feedback type), {@code hard} whether the address is suppressed
     * for it (null for a complaint, which always is).
     */
    public static LifecycleEvent feedback(EventType type, long timeMillis, String id, String sender, String recipient,
            String enhancedStatus, String text, BounceReason reason, Boolean hard) {
        return new LifecycleEvent(type, timeMillis, id, null, null, null, sender, null, -1, recipient, null, null,
                null, null, null, null, -1, enhancedStatus, text, -1, -1, null, null, null, -1, null,
                reason == null ? null : reason.label(), hard);
    }

    /**
     * A smarthost's breaker changed state (docs/events.md {@code circuit}).
     *
     * @param site      the smarthost's site ({@code smarthost:<name>})
     * @param smarthost its name
     * @param state     {@code open}, {@code half-open} or {@code closed}
     * @param failures  consecutive failures counted when it changed
     * @param text      the failure (or success) that changed it, or null
     */
    public static LifecycleEvent circuit(long timeMillis, String site, String smarthost, String state, long failures,
            String text) {
        return new LifecycleEvent(EventType.CIRCUIT, timeMillis, null, null, null, null, null, null, -1, null, site,
                null, null, null, null, null, -1, null, text, -1, -1, Objects.requireNonNull(state, "state"),
                Objects.requireNonNull(smarthost, "smarthost"), null, failures, null, null, null);
    }

    /**
     * A traffic-shaping action changed on a path (docs/events.md {@code shaping}).
     *
     * @param source the source whose path it is
     * @param target {@code provider NAME} or {@code site KEY}
     * @param state  {@code applied}, {@code expired} or {@code lifted}
     * @param text   what the action does and, when applied, until when and the reply that fired it
     * @param count  actions in force on the path afterwards
     */
    public static LifecycleEvent shaping(long timeMillis, String source, String target, String state, String text,
            long count) {
        return new LifecycleEvent(EventType.SHAPING, timeMillis, null, null, null, null, null, null, -1, null, null,
                null, Objects.requireNonNull(source, "source"), null, null, null, -1, null, text, -1, -1,
                Objects.requireNonNull(state, "state"), Objects.requireNonNull(target, "target"), null, count, null,
                null, null);
    }

    /**
     * An operator's command (docs/events.md {@code admin}).
     *
     * @param text a detail such as a bounce reason or a suspension's end, or null
     */
    public static LifecycleEvent admin(long timeMillis, String action, String target, String actor, long count,
            String text) {
        return new LifecycleEvent(EventType.ADMIN, timeMillis, null, null, null, null, null, null, -1, null, null,
                null, null, null, null, null, -1, null, text, -1, -1, Objects.requireNonNull(action, "action"),
                Objects.requireNonNull(target, "target"), Objects.requireNonNull(actor, "actor"), count, null, null,
                null);
    }
}
