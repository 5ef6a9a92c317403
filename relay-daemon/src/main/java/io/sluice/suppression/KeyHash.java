package io.sluice.suppression;

/**
 * The 128-bit key of a suppression entry: (scope, scope value, address), case-insensitive, hashed as two
 * independent 64-bit multiply-xorshift chains over the characters with a final avalanche (MurmurHash3's fmix64).
 * The index keeps only this key, not the strings: at 10 million entries the chance that two different keys collide
 * is about 10^14 / 2^128, i.e. never. Hashing reads the strings in place: no allocation. Stateless.
 */
final class KeyHash {
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;
    private static final char SEPARATOR = '\uFFFF'; // a noncharacter: no address or domain contains it

    private KeyHash() {
    }

    /** The first half of the key. */
    static long high(SuppressionScope scope, CharSequence scopeValue, CharSequence address) {
        long[] both = new long[2];
        of(scope, scopeValue, address, both);
        return both[0];
    }

    /** The second half of the key; never 0 together with the first (0, 0 marks an empty slot). */
    static long low(SuppressionScope scope, CharSequence scopeValue, CharSequence address) {
        long[] both = new long[2];
        of(scope, scopeValue, address, both);
        return both[1];
    }

    /** Both halves of the key into {@code out[0]} and {@code out[1]}, in one pass over the characters. */
    static void of(SuppressionScope scope, CharSequence scopeValue, CharSequence address, long[] out) {
        long h1 = 0x243F6A8885A308D3L ^ scope.code();
        long h2 = 0x13198A2E03707344L ^ ((long) scope.code() << 32);
        for (int i = 0; i < scopeValue.length(); i++) {
            char c = lower(scopeValue.charAt(i));
            h1 = step(h1, c, M1, 29);
            h2 = step(h2, c, M2, 31);
        }
        h1 = step(h1, SEPARATOR, M1, 29);
        h2 = step(h2, SEPARATOR, M2, 31);
        for (int i = 0; i < address.length(); i++) {
            char c = lower(address.charAt(i));
            h1 = step(h1, c, M1, 29);
            h2 = step(h2, c, M2, 31);
        }
        out[0] = fmix(h1);
        long l = fmix(h2);
        out[1] = l == 0 ? 1 : l;
    }

    private static long step(long h, char c, long m, int shift) {
        h = (h ^ c) * m;
        return h ^ (h >>> shift);
    }

    /**
     * {@code s} lower-cased one character at a time, as the key is hashed (so a stored entry and a raw RCPT address
     * that differ only in case give one key, whatever the characters).
     */
    static String fold(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = lower(s.charAt(i));
        }
        return new String(out);
    }

    private static char lower(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(c);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
