package io.sluice.smtp.server;

import io.sluice.model.BounceReason;

/**
 * The suppression list as ingress asks it, at RCPT on a listener with {@code suppressed: reject}: the reason of the
 * entry that holds {@code recipient} back for this sender domain and AUTH identity (or globally), or null. Must not
 * block or allocate much: it runs on the event loop (the daemon's is an in-memory hash lookup).
 */
@FunctionalInterface
public interface RecipientSuppression {
    /** Nothing is suppressed (no list). */
    RecipientSuppression NONE = (recipient, senderDomain, authIdentity) -> null;

    BounceReason reason(String recipient, String senderDomain, String authIdentity);
}
