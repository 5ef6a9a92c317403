package io.sluice.config;

import java.util.Collection;
import java.util.Locale;

/**
 * Finds the known key an unknown key was probably meant to be, for "did you mean" hints: the closest known key
 * by edit distance, after treating {@code -} as {@code _} and ignoring case, within 2 edits. Stateless.
 */
final class KeySuggestions {

    private static final int MAX_DISTANCE = 2;

    private KeySuggestions() {
    }

    /** The closest known key, or null when none is close enough. */
    static String closest(String unknown, Collection<String> known) {
        String wanted = normalise(unknown);
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int d = distance(wanted, normalise(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String normalise(String key) {
        return key.replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance with two rolling rows. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
