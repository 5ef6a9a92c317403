package io.sluice.admin;

import io.sluice.util.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's shared secret ({@code admin.token_file}), and the check of an {@code Authorization} header.
 *
 * <p>Why a file with strict permissions: the admin API listens on loopback, which every local user can reach, so
 * the token is the only thing between them and {@code suspend}/{@code flush}. {@link #load} therefore refuses a
 * token file that group or others may read or write, naming the file and its permissions.
 *
 * <p>Limits: the file holds one token of {@value #MIN_LENGTH} to {@value #MAX_LENGTH} characters from the RFC 6750
 * {@code b64token} alphabet ({@code A-Z a-z 0-9 - . _ ~ + /}, then optional trailing {@code =}); surrounding
 * whitespace (a trailing newline) is ignored. Only the token's SHA-256 is kept. Comparison hashes the presented
 * token and compares digests with {@link MessageDigest#isEqual}, so its time depends on neither the position of
 * the first wrong character nor the token's length.
 *
 * <p>Threading: immutable, thread-safe.
 */
public final class BearerToken {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 1024;
    private static final String SCHEME = "Bearer ";
    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Reads and validates a token file.
     *
     * @throws IOException naming the file when it cannot be read, is not a regular file, is readable or writable
     *                     by group or others, or does not hold one valid token
     */
    public static BearerToken load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("admin token file " + file + " does not exist or is not a regular file");
        }
        String notPrivate = PrivateFiles.problem(file);
        if (notPrivate != null) {
            throw new IOException("admin token file " + notPrivate);
        }
        if (Files.size(file) > MAX_LENGTH + 2) {
            throw new IOException("admin token file " + file + " is larger than a token (" + MAX_LENGTH
                    + " characters at most)");
        }
        String token = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
        String problem = problem(token);
        if (problem != null) {
            throw new IOException("admin token file " + file + ": " + problem);
        }
        return new BearerToken(sha256(token));
    }

    /**
     * Whether an {@code Authorization} header value carries this token ({@code Bearer <token>}, scheme
     * case-insensitive). Null or malformed headers do not match.
     */
    public boolean matchesAuthorization(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return matches(authorization.substring(SCHEME.length()).strip());
    }

    /** Whether this is the token, in time independent of where or whether it differs. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }

    /** Why this is not a usable token, or null. */
    private static String problem(String token) {
        if (token.length() < MIN_LENGTH) {
            return "token is shorter than " + MIN_LENGTH + " characters";
        }
        if (token.length() > MAX_LENGTH) {
            return "token is longer than " + MAX_LENGTH + " characters";
        }
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return "token has a character outside A-Z a-z 0-9 - . _ ~ + / = at position " + (i + 1);
            }
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
