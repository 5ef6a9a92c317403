package io.sluice.suppression;

/**
 * Where a suppression entry applies (docs/BOUNCES.md "Suppression"): to all mail, to mail from one envelope-sender
 * domain, from one AUTH identity (these three are checked at RCPT), or with one From: domain (checked after DATA,
 * once the header is known). {@link #code()} is the byte in the suppression log: never renumber.
 */
public enum SuppressionScope {
    GLOBAL(0, "global"),
    SENDER_DOMAIN(1, "sender-domain"),
    AUTH(2, "auth"),
    FROM_DOMAIN(3, "from-domain");

    private static final SuppressionScope[] BY_CODE = values();

    private final int code;
    private final String label;

    SuppressionScope(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The name in the CLI, the CSV files and the admin API. */
    public String label() {
        return label;
    }

    /** The scope of a log byte, or null for an unknown one. */
    public static SuppressionScope ofCode(int code) {
        return Labels.byCode(BY_CODE, code);
    }

    /** The scope labelled {@code name} ({@code global}, {@code sender-domain}, {@code auth}, {@code from-domain}). */
    public static SuppressionScope byLabel(String name) { // null when no scope has that label
        return Labels.byLabel(BY_CODE, SuppressionScope::label, name);
    }

    @Override
    public String toString() {
        return label;
    }
}
