package io.sluice.scheduler;

import io.sluice.model.BounceReason;

/**
 * The bounce reason of a decision the scheduler makes itself, with no server reply to classify: a DNS answer
 * (no such domain, null MX, no usable MX, a failed lookup), expiry, an operator's bounce, no source or smarthost to
 * send from. Decided from the status Sluice gave the decision, by RFC 3463's meaning (the classifier, with its
 * regular expressions, never runs on the scheduler thread). Stateless; allocation-free.
 */
final class LocalReasons {
    private LocalReasons() {
    }

    /** {@code code}: the reply code Sluice chose (0 when none); {@code status}: its enhanced status, or null. */
    static BounceReason of(int code, String status) {
        if (code == 556 || (status != null && status.endsWith(".1.10"))) {
            return BounceReason.NOT_ACCEPT; // null MX (RFC 7505)
        }
        if (status == null || status.length() < 5) {
            return BounceReason.UNDEFINED;
        }
        if (is(status, ".1.2")) {
            return BounceReason.HOST_UNKNOWN; // no such domain (NXDOMAIN): the address is bad
        }
        if (is(status, ".4.7")) {
            return BounceReason.EXPIRED;
        }
        if (status.startsWith(".4.", 1)) {
            // a DNS lookup that failed, no usable MX host (5.4.4: none with an address, or only private ones that
            // Sluice's own policy refuses): the domain's trouble or ours, not a bad address, so never hard
            return BounceReason.NETWORK_ERROR;
        }
        return BounceReason.UNDEFINED; // an operator's bounce (5.0.0)
    }

    /** {@code status} is {@code C} + {@code subjectDetail}, e.g. {@code 5.1.2} for ".1.2". */
    private static boolean is(String status, String subjectDetail) {
        return status.length() == 1 + subjectDetail.length() && status.endsWith(subjectDetail);
    }
}
