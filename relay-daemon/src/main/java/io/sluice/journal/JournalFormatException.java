package io.sluice.journal;

/**
 * A journal record that this build cannot interpret: unknown type, newer version, or inconsistent lengths.
 * Recovery stops on it rather than guess, since a misread record could lose or duplicate mail.
 */
public final class JournalFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalFormatException(String message) {
        super(message);
    }
}
