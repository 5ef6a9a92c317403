package io.sluice.smtp.server;

import io.sluice.config.RouteSettings;
import io.sluice.model.RouteInputs;

/**
 * Ingress's port to the routes for one-click unsubscribe (RFC 8058): which recipients' routes ask for
 * {@code List-Unsubscribe} ({@link #of}), and the header lines for one recipient's own copy ({@link #headers}).
 * Implemented by the composition root over the current routes (a reload applies to the next message) and the feedback
 * key. Called on the event loop: must not block; it allocates only for recipients that get headers.
 */
public interface UnsubscribeHeaders {
    /** No route adds unsubscribe headers. */
    UnsubscribeHeaders NONE = new UnsubscribeHeaders() {
        @Override
        public boolean anyRoute() {
            return false;
        }

        @Override
        public RouteSettings.Unsubscribe of(RouteInputs inputs, String recipient) {
            return null;
        }

        @Override
        public String headers(RouteSettings.Unsubscribe settings, String senderDomain, String recipient,
                              long messageId, long nowMillis) {
            throw new IllegalStateException("no route adds unsubscribe headers");
        }
    };

    /** Whether any route of the current settings asks for them (else nothing else is asked). */
    boolean anyRoute();

    /** The unsubscribe settings of the route {@code recipient}'s mail takes, or null when it asks for none. */
    RouteSettings.Unsubscribe of(RouteInputs inputs, String recipient);

    /**
     * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post}, each ending in CRLF, for {@code recipient}'s copy
     * (journal id {@code messageId}) of mail from {@code senderDomain}.
     */
    String headers(RouteSettings.Unsubscribe settings, String senderDomain, String recipient, long messageId,
                   long nowMillis);
}
