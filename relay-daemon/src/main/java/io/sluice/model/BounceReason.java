package io.sluice.model;

import java.util.Locale;

/**
 * Why a delivery failed, in the Sisimai project's reason taxonomy (libsisimai.org/en/reason; names as of Sisimai 5,
 * with its later names {@code ratelimited} and {@code emailtoolarge} for {@code toomanyconn} and {@code mesgtoobig}
 * accepted as aliases). Every OUTCOME and DEFERRED record and delivery event carries one; the bounce rules
 * (conf/bounce-rules.yaml) name them.
 *
 * <p>{@link #code()} is the byte written to the journal: append new reasons at the end, never renumber.
 * {@link #isHard(int)} says whether the reason means "the address itself is bad": Sisimai's rule is hard for
 * userunknown, hostunknown and hasmoved, and for notaccept unless the reply was temporary.
 */
public enum BounceReason {
    /** Nothing usable to classify (no reply, or a success). */
    UNDEFINED("undefined", false),
    USER_UNKNOWN("userunknown", true),
    HOST_UNKNOWN("hostunknown", true),
    HAS_MOVED("hasmoved", true),
    /** The domain accepts no mail at all (null MX, 556); hard only when permanent. */
    NOT_ACCEPT("notaccept", false),
    MAILBOX_FULL("mailboxfull", false),
    EXCEED_LIMIT("exceedlimit", false),
    MESG_TOO_BIG("mesgtoobig", false),
    FILTERED("filtered", false),
    SUSPEND("suspend", false),
    REJECTED("rejected", false),
    BLOCKED("blocked", false),
    BAD_REPUTATION("badreputation", false),
    SPAM_DETECTED("spamdetected", false),
    VIRUS_DETECTED("virusdetected", false),
    POLICY_VIOLATION("policyviolation", false),
    AUTH_FAILURE("authfailure", false),
    REQUIRE_PTR("requireptr", false),
    SECURITY_ERROR("securityerror", false),
    FAILED_STARTTLS("failedstarttls", false),
    NO_RELAYING("norelaying", false),
    SYNTAX_ERROR("syntaxerror", false),
    CONTENT_ERROR("contenterror", false),
    NOT_COMPLIANT_RFC("notcompliantrfc", false),
    SYSTEM_ERROR("systemerror", false),
    SYSTEM_FULL("systemfull", false),
    NETWORK_ERROR("networkerror", false),
    EXPIRED("expired", false),
    /** Too many connections or messages: a rate limit (Sisimai's toomanyconn, later ratelimited). */
    RATE_LIMITED("ratelimited", false),
    SPEEDING("speeding", false),
    MAILER_ERROR("mailererror", false),
    /** A failure whose text says too little to decide. */
    ON_HOLD("onhold", false),
    /** Not failures: a success DSN, an ARF complaint, an auto-reply. */
    DELIVERED("delivered", false),
    FEEDBACK("feedback", false),
    VACATION("vacation", false),
    /** Recorded for a recipient on the suppression list; never sent. */
    SUPPRESSED("suppressed", false);

    private static final BounceReason[] BY_CODE = values();

    private final String label;
    private final boolean hard;

    BounceReason(String label, boolean hard) {
        this.label = label;
        this.hard = hard;
    }

    /** The lower-case name used in config, events, metrics and JSON ({@code userunknown}). */
    public String label() {
        return label;
    }

    /** The journal byte. */
    public byte code() {
        return (byte) ordinal();
    }

    /**
     * Sisimai's hard-bounce rule for this reason after a reply of class {@code replyClass} (4 or 5; 0 unknown):
     * notaccept is hard unless the reply was a 4xx.
     */
    public boolean isHard(int replyClass) {
        return hard || (this == NOT_ACCEPT && replyClass != 4);
    }

    /** The reason of a journal byte; an unknown byte (a newer journal) reads as {@link #UNDEFINED}. */
    public static BounceReason ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNDEFINED;
    }

    /** The reason named {@code name} (case-insensitive, aliases included), or null. */
    public static BounceReason byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "toomanyconn":
                return RATE_LIMITED;
            case "emailtoolarge":
                return MESG_TOO_BIG;
            default:
                for (BounceReason r : BY_CODE) {
                    if (r.label.equals(n)) {
                        return r;
                    }
                }
                return null;
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
