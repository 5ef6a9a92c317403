package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.util.Objects;

/**
 * One entry of the suppression list: mail to {@code address} is not sent within {@code scope}.
 *
 * @param address       the recipient address, lower case
 * @param scope         where it applies
 * @param scopeValue    the sender domain, AUTH identity or From: domain it applies to (lower case); "" for
 *                      {@link SuppressionScope#GLOBAL}
 * @param reason        why (the bounce reason of the bounce that put it there; {@code feedback} for a complaint,
 *                      {@code undefined} for an operator's entry without one)
 * @param source        who or what added it
 * @param timeMillis    when it was added, epoch millis
 * @param expiresMillis when it stops applying, epoch millis; 0 = never
 */
public record SuppressionEntry(String address, SuppressionScope scope, String scopeValue, BounceReason reason,
                               SuppressionSource source, long timeMillis, long expiresMillis) {

    /** Longest address or scope value kept, in characters (RFC 5321 paths are at most 256 octets). */
    public static final int MAX_FIELD_CHARS = 320;

    public SuppressionEntry {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        address = KeyHash.fold(address.trim());
        scopeValue = scope == SuppressionScope.GLOBAL ? "" : scopeValue == null ? "" : KeyHash.fold(scopeValue.trim());
        if (address.isEmpty() || address.length() > MAX_FIELD_CHARS || address.indexOf('@') < 1) {
            throw new IllegalArgumentException("not an address: " + address);
        }
        if (scope != SuppressionScope.GLOBAL && scopeValue.isEmpty()) {
            throw new IllegalArgumentException("scope " + scope + " needs a value (a domain or an AUTH identity)");
        }
        if (scopeValue.length() > MAX_FIELD_CHARS) {
            throw new IllegalArgumentException("scope value longer than " + MAX_FIELD_CHARS + " characters");
        }
        if (expiresMillis < 0) {
            throw new IllegalArgumentException("negative expiry");
        }
    }

    /** Whether the entry applies at {@code nowMillis}. */
    public boolean activeAt(long nowMillis) {
        return expiresMillis == 0 || nowMillis < expiresMillis;
    }
}
