package io.sluice.model;

import java.util.Locale;
import java.util.Objects;

/**
 * What a message's route is chosen by, besides each recipient's domain: the envelope sender, the SMTP AUTH identity,
 * the ingress listener and the stream (the trusted client's {@code X-Sluice-Stream} header). Journalled with the
 * message (QUEUED records and checkpoints), so that routes are evaluated again at every scheduling, after a restart
 * and after a reload, from the same inputs.
 *
 * <p>Immutable value (equality over the four inputs). {@link #senderDomain()} is computed once (lower case, "" for
 * the null sender or a sender without a domain) so route evaluation does not allocate. Many messages share one
 * instance when built through an intern table, since few distinct combinations exist. Every field is "" when
 * absent, never null.
 */
public final class RouteInputs {
    /** Inputs of a message queued before route inputs were journalled: only rules on recipient domains can match. */
    public static final RouteInputs UNKNOWN = of("", "", "", "");

    private final String sender;
    private final String authUser;
    private final String listener;
    private final String stream;
    private final String senderDomain;

    private RouteInputs(String sender, String authUser, String listener, String stream) {
        this.sender = sender;
        this.authUser = authUser;
        this.listener = listener;
        this.stream = stream;
        int at = sender.lastIndexOf('@');
        this.senderDomain = at < 0 ? "" : sender.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * @param sender   the envelope sender as received, "" (or null) for the null reverse-path
     * @param authUser the AUTH identity, "" (or null) when the client did not authenticate
     * @param listener the ingress listener's name, "" (or null) for mail Sluice made itself (DSNs)
     * @param stream   the {@code X-Sluice-Stream} value from a trusted client, "" (or null) when none
     */
    public static RouteInputs of(String sender, String authUser, String listener, String stream) {
        return new RouteInputs(orEmpty(sender), orEmpty(authUser), orEmpty(listener), orEmpty(stream));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public String sender() {
        return sender;
    }

    /** The sender's domain in lower case; "" for the null sender. */
    public String senderDomain() {
        return senderDomain;
    }

    public String authUser() {
        return authUser;
    }

    public String listener() {
        return listener;
    }

    public String stream() {
        return stream;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteInputs r && sender.equals(r.sender) && authUser.equals(r.authUser)
                && listener.equals(r.listener) && stream.equals(r.stream);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, authUser, listener, stream);
    }

    @Override
    public String toString() {
        return "RouteInputs[sender=" + sender + ", auth=" + authUser + ", listener=" + listener + ", stream="
                + stream + "]";
    }
}
