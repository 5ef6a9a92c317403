package io.sluice.journal;

import io.sluice.model.BounceReason;

/**
 * The final outcome of one recipient, as stored in an OUTCOME record (see {@link OutcomeDescriptor}).
 * Codes are part of the on-disk format: never renumber, only add.
 */
public enum OutcomeCode {
    /** The remote accepted the message (2xx after the final dot). */
    DELIVERED(1, "delivered"),
    /** Permanently refused (5xx, or classified hard), a DSN may follow. */
    BOUNCED(2, "bounced"),
    /** Retried until the maximum age passed. */
    EXPIRED(3, "expired"),
    /** Matched the suppression list; never attempted. */
    SUPPRESSED(4, "suppressed");

    private static final OutcomeCode[] BY_CODE = new OutcomeCode[5];

    static {
        for (OutcomeCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;
    private final String label;

    OutcomeCode(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /**
     * The bounce reason an OUTCOME with this code carries when the caller names none: {@code delivered},
     * {@code expired}, {@code suppressed}; {@code undefined} for a bounce (whose reason the classifier decides).
     */
    public BounceReason defaultReason() {
        switch (this) {
            case DELIVERED:
                return BounceReason.DELIVERED;
            case EXPIRED:
                return BounceReason.EXPIRED;
            case SUPPRESSED:
                return BounceReason.SUPPRESSED;
            default:
                return BounceReason.UNDEFINED;
        }
    }

    /** The byte stored in the journal. */
    public int code() {
        return code;
    }

    /** Lower-case name used in dumps and events. */
    public String label() {
        return label;
    }

    /** The outcome for a stored byte; throws {@link IllegalArgumentException} for an unknown code. */
    public static OutcomeCode fromCode(int code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("unknown outcome code " + code);
        }
        return BY_CODE[code];
    }
}
