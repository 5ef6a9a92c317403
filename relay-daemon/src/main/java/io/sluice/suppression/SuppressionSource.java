package io.sluice.suppression;

/**
 * Who or what put an entry on the suppression list. {@link #code()} is the byte in the suppression log: never
 * renumber.
 */
public enum SuppressionSource {
    /** A hard bounce in Sluice's own delivery session. */
    BOUNCE(0, "bounce"),
    /** A hard bounce that came back later, to the feedback address. */
    ASYNC_BOUNCE(1, "async-bounce"),
    /** A complaint (ARF feedback report). */
    COMPLAINT(2, "complaint"),
    /** A one-click unsubscribe (RFC 8058) or a mailto unsubscribe. */
    UNSUBSCRIBE(3, "unsubscribe"),
    /** An operator ({@code sluice suppress add}, the admin API). */
    OPERATOR(4, "operator"),
    /** An operator's CSV import. */
    IMPORT(5, "import");

    private static final SuppressionSource[] BY_CODE = values();

    private final int code;
    private final String label;

    SuppressionSource(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The source of a log byte, or null for an unknown one. */
    public static SuppressionSource ofCode(int code) {
        return Labels.byCode(BY_CODE, code);
    }

    /** The source named {@code name}, or null. */
    public static SuppressionSource byLabel(String name) {
        return Labels.byLabel(BY_CODE, SuppressionSource::label, name);
    }

    @Override
    public String toString() {
        return label;
    }
}
