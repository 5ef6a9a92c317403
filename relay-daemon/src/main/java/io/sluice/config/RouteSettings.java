package io.sluice.config;

import java.util.List;

/**
 * One route ({@code routes[]} in sluice.yaml): which messages it takes and the path they leave by. Routes are tried
 * in file order; the first whose every given match key fits takes the message. Exactly one route has no match (the
 * default route), and it is the last.
 *
 * @param name       unique name ({@code name}, required)
 * @param match      what the route takes ({@code match}), or null for everything (the default route)
 * @param lane       the lane's name ({@code lane}, default {@value LaneSettings#DEFAULT_NAME})
 * @param pool       the pool to bind through ({@code pool}): the path itself when {@code smarthosts} is empty
 *                   (direct to MX), else whom to bind as towards the smarthosts (null = the kernel chooses)
 * @param smarthosts smarthost names in failover order ({@code smarthosts}); empty = direct to MX through
 *                   {@code pool}
 * @param verp       VERP return paths for its mail ({@code verp}), or null: the envelope sender is kept
 * @param unsubscribe one-click unsubscribe headers for its mail ({@code unsubscribe}), or null: none are added
 */
public record RouteSettings(String name, Match match, String lane, String pool, List<String> smarthosts,
                            Verp verp, Unsubscribe unsubscribe) {

    /** The name of the route made when the file has no {@code routes}. */
    public static final String DEFAULT_NAME = "default";

    public RouteSettings {
        smarthosts = List.copyOf(smarthosts);
    }

    /** A route without VERP. */
    public RouteSettings(String name, Match match, String lane, String pool, List<String> smarthosts) {
        this(name, match, lane, pool, smarthosts, null, null);
    }

    /**
     * One-click unsubscribe on a route ({@code unsubscribe}; RFC 8058, RFC 2369): each recipient's message is stored
     * on its own at accept with {@code List-Unsubscribe} (an HTTPS link with a signed token for the recipient and
     * the sender's domain, and with {@code mailto} a mail address at the feedback listener) and
     * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}. A message that brings its own
     * {@code List-Unsubscribe} is left as it is.
     *
     * @param urlBase    where the web listener is reached from the internet ({@code url_base}, https, no query);
     *                   the link is {@code <url_base>/u/<token>}
     * @param mailto     add a {@code mailto:} too ({@code mailto}, default false)
     * @param mailDomain the domain of the mailto address: the route's VERP domain, else the first of
     *                   {@code feedback.domains}; null without {@code mailto}
     */
    public record Unsubscribe(String urlBase, boolean mailto, String mailDomain) {
    }

    /**
     * VERP on a route ({@code verp}): each recipient's mail leaves with its own signed return path
     * {@code b+<token>@<domain>}, one recipient per transaction, and the sender gets no DSN from Sluice for it
     * (the bounce comes back to the feedback listener instead).
     *
     * @param domain the return paths' domain ({@code domain}; lower case, A-labels); its MX must reach a
     *               {@code role: feedback} listener
     */
    public record Verp(String domain) {
    }

    /**
     * A route's match keys; an empty list is a key not given (matches anything). Domains are lower case and in
     * A-label form ({@code xn--}); a domain starting with {@code .} stands for every subdomain of the rest.
     *
     * @param senderDomains    the envelope sender's domain ({@code sender_domains})
     * @param recipientDomains the recipient's domain ({@code recipient_domains})
     * @param authUsers        the SMTP AUTH identity, exact ({@code auth_users})
     * @param listeners        the ingress listener's name, an existing listener ({@code listeners})
     * @param streams          the trusted client's {@code X-Sluice-Stream} value, exact ({@code streams})
     */
    public record Match(List<String> senderDomains, List<String> recipientDomains, List<String> authUsers,
                        List<String> listeners, List<String> streams) {
        public Match {
            senderDomains = List.copyOf(senderDomains);
            recipientDomains = List.copyOf(recipientDomains);
            authUsers = List.copyOf(authUsers);
            listeners = List.copyOf(listeners);
            streams = List.copyOf(streams);
        }
    }
}
