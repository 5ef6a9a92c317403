package io.sluice.smtp.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers recent successful logins so that a client which AUTHs on every connection pays for PBKDF2 once per TTL,
 * not once per connection.
 *
 * <p>What is stored: per user, {@code HMAC-SHA256(k, user || 0x00 || UTF-8(password))} with a random key {@code k}
 * made per instance (so per process, never written anywhere), the expiry time and the {@link PasswordHash} that the
 * password was checked against. Never the password. A lookup hits only if the fingerprint matches (constant-time),
 * the entry has not expired, and the user's current hash is the same object: a reload that changes or removes a
 * user therefore invalidates its entry even before {@link #clear()} is called.
 *
 * <p>Bound: one entry per user name that succeeded, and success requires the name to be in the users file, so the
 * map never exceeds the number of users. Threading: thread-safe ({@link ConcurrentHashMap}; a new {@link Mac} per
 * fingerprint, a few microseconds, which is fine per AUTH command and cheaper than a lock).
 */
final class SuccessCache {

    private static final String MAC_ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param ttlNanos how long a success stays valid; 0 disables caching */
    SuccessCache(long ttlNanos) {
        if (ttlNanos < 0) {
            throw new IllegalArgumentException("ttl must be >= 0");
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, MAC_ALGORITHM);
        Arrays.fill(secret, (byte) 0);
        this.ttlNanos = ttlNanos;
    }

    /** The keyed fingerprint of (user, password); the password is not modified. */
    byte[] fingerprint(String user, char[] password) {
        ByteBuffer passwordBytes = encodeUtf8(password);
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(passwordBytes);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE runtime.
            throw new IllegalStateException(MAC_ALGORITHM + " unavailable", e);
        } finally {
            zero(passwordBytes);
        }
    }

    /** True if {@code user} succeeded with this fingerprint against {@code currentHash} less than a TTL ago. */
    boolean hit(String user, byte[] fingerprint, PasswordHash currentHash, long nowNanos) {
        if (ttlNanos == 0 || currentHash == null) {
            return false;
        }
        Entry entry = entries.get(user);
        return entry != null
                && entry.hash == currentHash
                && nowNanos - entry.expiresAtNanos < 0
                && MessageDigest.isEqual(entry.fingerprint, fingerprint);
    }

    /** Records a verified success. */
    void put(String user, byte[] fingerprint, PasswordHash hash, long nowNanos) {
        if (ttlNanos == 0) {
            return;
        }
        entries.put(user, new Entry(fingerprint.clone(), nowNanos + ttlNanos, hash));
    }

    /** Forgets every entry (after a users-file reload). */
    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static ByteBuffer encodeUtf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE action cannot fail", e);
        }
    }

    private static void zero(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
    }

    /** A cached success; {@code hash} is compared by identity with the current snapshot's. */
    private record Entry(byte[] fingerprint, long expiresAtNanos, PasswordHash hash) {
    }
}
