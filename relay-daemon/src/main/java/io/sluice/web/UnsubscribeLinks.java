package io.sluice.web;

import io.sluice.config.RouteSettings;
import io.sluice.model.RouteInputs;
import io.sluice.model.UnsubscribeToken;
import io.sluice.model.VerpCodec;
import io.sluice.smtp.server.UnsubscribeHeaders;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * The header lines one-click unsubscribe adds at accept (RFC 8058 section 3.1, RFC 2369 3.2):
 * {@code List-Unsubscribe: <url_base/u/TOKEN>} (and {@code , <mailto:u+TOKEN@domain?subject=unsubscribe>} when the
 * route asks for a mailto) and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}. The link's token
 * ({@link UnsubscribeToken}) names the recipient and the sender's domain; the mailto's ({@link VerpCodec}
 * {@code u+}) names the stored message, whose one recipient the feedback index knows. The field is folded before the
 * mailto URI (the link alone is one line of about 150 characters, within RFC 5322's 998). Which recipients' routes ask is {@code routeLookup}'s answer over the current
 * routes. Thread-safe.
 */
public final class UnsubscribeLinks implements UnsubscribeHeaders {
    private final BooleanSupplier anyRoute;
    private final BiFunction<RouteInputs, String, RouteSettings.Unsubscribe> routeLookup;
    private final UnsubscribeToken links;
    private final VerpCodec mailto;

    /**
     * @param anyRoute    whether some current route has {@code unsubscribe}
     * @param routeLookup the unsubscribe settings of the route of (inputs, recipient domain), or null
     */
    public UnsubscribeLinks(BooleanSupplier anyRoute,
                            BiFunction<RouteInputs, String, RouteSettings.Unsubscribe> routeLookup,
                            UnsubscribeToken links, VerpCodec mailto) {
        this.anyRoute = anyRoute;
        this.routeLookup = routeLookup;
        this.links = links;
        this.mailto = mailto;
    }

    @Override
    public boolean anyRoute() {
        return anyRoute.getAsBoolean();
    }

    @Override
    public RouteSettings.Unsubscribe of(RouteInputs inputs, String recipient) {
        int at = recipient.lastIndexOf('@');
        if (at < 0) {
            return null; // a bare postmaster recipient has been rewritten already; nothing else lacks a domain
        }
        return routeLookup.apply(inputs, recipient.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String headers(RouteSettings.Unsubscribe settings, String senderDomain, String recipient, long messageId,
                          long nowMillis) {
        StringBuilder sb = new StringBuilder(256).append("List-Unsubscribe: <").append(settings.urlBase())
                .append(UnsubscribeServer.PATH).append(links.encode(recipient, senderDomain, nowMillis)).append('>');
        if (settings.mailto()) {
            sb.append(",\r\n <mailto:").append(mailto.returnPath(messageId, 0, recipient, settings.mailDomain()))
                    .append("?subject=unsubscribe>");
        }
        return sb.append("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n").toString();
    }
}
