package io.sluice.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which of the rules' phrases a reply contains in one pass over its characters: an Aho-Corasick automaton over
 * every ASCII phrase of every rule, compiled into a full transition table (one array read per character), fed the
 * text lower-cased with runs of white space read as one space, as the rules' phrases are written. A rule then needs
 * only to test its phrases' bits. Phrases with non-ASCII characters are not in the automaton; {@link #asciiOnly}
 * says which, and the rules test those with {@link String#contains} on the normalised text.
 *
 * <p>Immutable after construction; {@link #scan} allocates only the bit set it returns. Thread-safe.
 */
final class PhraseScanner {
    private static final int ALPHABET = 128;

    private final int[][] next;      // node -> character -> node (failure links folded in)
    private final int[][] outputs;   // node -> phrase ids that end here (including via failure links)
    private final int phraseCount;

    /** Builds the automaton for {@code phrases} (lower case, white space collapsed); ids are list positions. */
    PhraseScanner(List<String> phrases) {
        this.phraseCount = phrases.size();
        List<Map<Character, Integer>> trie = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        trie.add(new HashMap<>());
        ends.add(new ArrayList<>());
        for (int id = 0; id < phrases.size(); id++) {
            String p = phrases.get(id);
            if (!asciiOnly(p)) {
                continue;
            }
            int node = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                Integer child = trie.get(node).get(c);
                if (child == null) {
                    child = trie.size();
                    trie.add(new HashMap<>());
                    ends.add(new ArrayList<>());
                    trie.get(node).put(c, child);
                }
                node = child;
            }
            ends.get(node).add(id);
        }
        int nodes = trie.size();
        next = new int[nodes][ALPHABET];
        outputs = new int[nodes][];
        int[] fail = new int[nodes];
        int[] queue = new int[nodes];
        int head = 0;
        int tail = 0;
        for (int c = 0; c < ALPHABET; c++) {
            Integer child = trie.get(0).get((char) c);
            if (child != null) {
                next[0][c] = child;
                fail[child] = 0;
                queue[tail++] = child;
            }
        }
        outputs[0] = new int[0];
        while (head < tail) {
            int node = queue[head++];
            List<Integer> out = new ArrayList<>(ends.get(node));
            for (int id : outputs[fail[node]]) {
                out.add(id);
            }
            outputs[node] = out.stream().mapToInt(Integer::intValue).toArray();
            for (int c = 0; c < ALPHABET; c++) {
                Integer child = trie.get(node).get((char) c);
                if (child != null) {
                    next[node][c] = child;
                    fail[child] = next[fail[node]][c];
                    queue[tail++] = child;
                } else {
                    next[node][c] = next[fail[node]][c];
                }
            }
        }
    }

    static boolean asciiOnly(String phrase) {
        for (int i = 0; i < phrase.length(); i++) {
            if (phrase.charAt(i) >= ALPHABET) {
                return false;
            }
        }
        return true;
    }

    /** The ids of the ASCII phrases {@code text} contains (case and white-space runs ignored), as a bit set. */
    long[] scan(CharSequence text) {
        long[] found = new long[(phraseCount + 63) >>> 6];
        int node = 0;
        boolean space = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (space) {
                    continue;
                }
                space = true;
                c = ' ';
            } else {
                space = false;
                if (c >= ALPHABET) {
                    c = Character.toLowerCase(c);
                    if (c >= ALPHABET) {
                        node = 0; // no ASCII phrase runs through it
                        continue;
                    }
                } else if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + 32);
                }
            }
            node = next[node][c];
            for (int id : outputs[node]) {
                found[id >>> 6] |= 1L << id;
            }
        }
        return found;
    }
}
