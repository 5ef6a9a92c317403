package io.sluice.classify;

import java.util.Map;
import java.util.TreeMap;

/** Accuracy counts and a confusion matrix (expected reason → classified reason → count). */
final class Score {
    final Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    int total;
    int reasonHits;
    int hardHits;

    void add(String expected, String got, boolean reasonOk, boolean hardOk) {
        total++;
        reasonHits += reasonOk ? 1 : 0;
        hardHits += hardOk ? 1 : 0;
        confusion.computeIfAbsent(expected, k -> new TreeMap<>()).merge(got, 1, Integer::sum);
    }

    double reasonAccuracy() {
        return total == 0 ? 0 : (double) reasonHits / total;
    }

    double hardAccuracy() {
        return total == 0 ? 0 : (double) hardHits / total;
    }

    String summary() {
        return String.format("%d records: reason %d (%.1f%%), hard/soft %d (%.1f%%)", total, reasonHits,
                100 * reasonAccuracy(), hardHits, 100 * hardAccuracy());
    }
}
