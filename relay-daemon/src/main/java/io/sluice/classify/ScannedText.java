package io.sluice.classify;

/**
 * A reply's text as the rules see it: which of their ASCII phrases it contains ({@link PhraseScanner#scan}), and the
 * text lower-cased with white space collapsed, made only when a rule with a regex or a non-ASCII phrase asks.
 * One per classification; single-threaded.
 */
final class ScannedText {
    final long[] found;
    private final String raw;
    private String normalized;

    ScannedText(long[] found, String raw) {
        this.found = found;
        this.raw = raw;
    }

    String normalized() {
        if (normalized == null) {
            normalized = Classifier.normalise(raw);
        }
        return normalized;
    }

    /** True when there is no text at all (white space only). */
    boolean isBlank() {
        return raw.isBlank();
    }
}
