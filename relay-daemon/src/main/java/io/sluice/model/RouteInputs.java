package io.sluice.model;

import java.util.Locale;

/**
 * What a message's route is chosen by, besides each recipient's domain: the envelope sender's domain, the SMTP AUTH
 * identity, the ingress listener and the stream (the trusted client's {@code X-Sluice-Stream} header); and the header
 * From's domain, which the suppression list's {@code from-domain} scope is checked against. Journalled
 * with the message (QUEUED records and checkpoints), so that routes are evaluated again at every scheduling, after a
 * restart and after a reload, from the same inputs.
 *
 * <p>Only the sender's domain is kept, not the address: routes match on it, and VERP senders (one address per
 * message) would otherwise make every message's inputs distinct. Few distinct combinations exist, so many messages
 * share one instance when built through an intern table (the pending set does). Immutable; every field is "" when
 * absent, never null; the domain is lower case.
 *
 * @param senderDomain the envelope sender's domain, "" for the null reverse-path
 * @param authUser     the AUTH identity, "" when the client did not authenticate
 * @param listener     the ingress listener's name ({@code dsn} for Sluice's own DSNs), "" when unknown
 * @param stream       the {@code X-Sluice-Stream} value from a trusted client, "" when none
 * @param fromDomain   the domain of the header From's (first) address, lower case; "" when none was found (or the
 *                     message was queued before it was journalled)
 */
public record RouteInputs(String senderDomain, String authUser, String listener, String stream, String fromDomain) {
    /** Inputs of a message queued before route inputs were journalled: only rules on recipient domains can match. */
    public static final RouteInputs UNKNOWN = new RouteInputs("", "", "", "", "");

    public RouteInputs {
        senderDomain = senderDomain == null ? "" : senderDomain.toLowerCase(Locale.ROOT);
        authUser = authUser == null ? "" : authUser;
        listener = listener == null ? "" : listener;
        stream = stream == null ? "" : stream;
        fromDomain = fromDomain == null ? "" : fromDomain.toLowerCase(Locale.ROOT);
    }

    /** Inputs without a From domain (a message queued before it was journalled, a tool). */
    public RouteInputs(String senderDomain, String authUser, String listener, String stream) {
        this(senderDomain, authUser, listener, stream, "");
    }

    /** Inputs from an envelope sender address ("" for {@code <>}); nulls read as "". */
    public static RouteInputs of(String sender, String authUser, String listener, String stream) {
        return of(sender, authUser, listener, stream, "");
    }

    /** As above, with the header From's domain ("" or null when none). */
    public static RouteInputs of(String sender, String authUser, String listener, String stream,
                                 String fromDomain) {
        int at = sender == null ? -1 : sender.lastIndexOf('@');
        return new RouteInputs(at < 0 ? "" : sender.substring(at + 1), authUser, listener, stream, fromDomain);
    }
}
