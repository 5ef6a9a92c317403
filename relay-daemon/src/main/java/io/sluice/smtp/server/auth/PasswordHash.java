package io.sluice.smtp.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, in the self-describing text form
 * {@code $pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>} (standard base64 alphabet, written without
 * padding, read with or without).
 *
 * <p><b>Cost choice.</b> {@link #DEFAULT_ITERATIONS} is 210,000, OWASP's figure for PBKDF2-HMAC-SHA256. On the
 * 2-core reference VM one check costs about 60 ms of CPU when warm and idle, 200 ms+ when the box is busy. We keep
 * the full cost because (1) {@link AuthVerifier} caches successes, so a client that AUTHs on every connection pays
 * it once per cache TTL, (2) checks run on a small bounded pool, never on an event loop, and (3) failures are
 * throttled per client address. The iteration count is stored in each hash, so an operator may choose a lower
 * count per user ({@link #hash(char[], int)}) and old hashes keep verifying after the default changes.
 *
 * <p>Limits, checked by {@link #parse}: iterations {@value #MIN_ITERATIONS} to {@value #MAX_ITERATIONS} (the upper
 * bound stops a typo from costing minutes per login), salt 8-64 bytes, hash 16-64 bytes. Hashes written here use a
 * 16-byte salt from {@link SecureRandom} and a 32-byte hash.
 *
 * <p>Passwords are {@code char[]} and are encoded as UTF-8 by the JDK's PBKDF2; the caller owns and clears them.
 * Comparison is constant-time ({@link MessageDigest#isEqual}). Instances are immutable and thread-safe.
 */
public final class PasswordHash {

    /** Scheme tag, the second {@code $}-field of the encoded form. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Iterations used by {@link #hash(char[])}. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Smallest iteration count accepted in a hash. */
    public static final int MIN_ITERATIONS = 1_000;
    /** Largest iteration count accepted in a hash. */
    public static final int MAX_ITERATIONS = 10_000_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PREFIX = "$" + SCHEME + "$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_SALT_OR_HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt and {@link #DEFAULT_ITERATIONS}; returns the encoded form. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * Hashes {@code password} with a fresh random salt and the given iteration count; returns the encoded form.
     *
     * @throws IllegalArgumentException if the password is empty or iterations are outside the accepted range
     */
    public static String hash(char[] password, int iterations) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("empty password");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES)).encoded();
    }

    /**
     * Checks {@code password} against the encoded hash {@code encoded}.
     *
     * @throws IllegalArgumentException if {@code encoded} is not a valid hash (see {@link #parse})
     */
    public static boolean verify(char[] password, String encoded) {
        return parse(encoded).matches(password);
    }

    /**
     * Parses the encoded form.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the salt or hash)
     */
    public static PasswordHash parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (!encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected " + PREFIX + "<iterations>$<salt>$<hash>");
        }
        String[] fields = encoded.substring(PREFIX.length()).split("\\$", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected " + PREFIX + "<iterations>$<salt>$<hash>");
        }
        int iterations = parseIterations(fields[0]);
        byte[] salt = decodeField(fields[1], "salt", MIN_SALT_BYTES);
        byte[] hash = decodeField(fields[2], "hash", MIN_HASH_BYTES);
        return new PasswordHash(iterations, salt, hash);
    }

    /**
     * A hash that no password matches, with {@code iterations} of work: checked for unknown users so that "no such
     * user" costs as much time as "wrong password" and does not reveal which names exist.
     */
    static PasswordHash decoy(int iterations) {
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        return new PasswordHash(iterations, salt, hash);
    }

    /** True if {@code password} hashes to this value; costs {@link #iterations()} HMAC rounds. */
    public boolean matches(char[] password) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            return false;
        }
        byte[] candidate = derive(password, salt, iterations, hash.length);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    /** The iteration count stored in this hash. */
    public int iterations() {
        return iterations;
    }

    /** The encoded form, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Never shows the salt or hash, so a hash cannot leak through a log line. */
    @Override
    public String toString() {
        return "PasswordHash[" + SCHEME + ", iterations=" + iterations + "]";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int lengthBytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, lengthBytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // PBKDF2WithHmacSHA256 is mandatory in every Java SE 8+ runtime; absence is a broken JDK.
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static int parseIterations(String field) {
        if (field.isEmpty() || field.length() > 9 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("iterations must be a number from " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS);
        }
        int iterations = Integer.parseInt(field);
        checkIterations(iterations);
        return iterations;
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be a number from " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS);
        }
    }

    private static byte[] decodeField(String field, String name, int minBytes) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64");
        }
        if (bytes.length < minBytes || bytes.length > MAX_SALT_OR_HASH_BYTES) {
            throw new IllegalArgumentException(name + " must be " + minBytes + "-" + MAX_SALT_OR_HASH_BYTES
                    + " bytes");
        }
        return bytes;
    }
}
