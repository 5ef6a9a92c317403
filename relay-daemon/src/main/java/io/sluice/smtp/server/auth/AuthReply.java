package io.sluice.smtp.server.auth;

import java.util.Objects;

/**
 * One SMTP reply produced by the AUTH code, for the session to write as {@code code SP enhanced SP text CRLF}.
 *
 * <p>The constants are the complete set of replies this package produces (RFC 4954 section 6 and RFC 3463 codes);
 * the session also uses {@link #ALREADY_AUTHENTICATED}, {@link #ENCRYPTION_REQUIRED} and
 * {@link #UNRECOGNIZED_MECHANISM} for checks it makes before starting an exchange. Immutable, thread-safe.
 *
 * @param code     three-digit reply code
 * @param enhanced RFC 3463 enhanced status code, e.g. {@code 5.7.8}
 * @param text     human-readable text; never contains CR or LF
 */
public record AuthReply(int code, String enhanced, String text) {

    /** {@code 235 2.7.0}: the credentials were verified. */
    public static final AuthReply SUCCESS = new AuthReply(235, "2.7.0", "Authentication successful");
    /** {@code 535 5.7.8}: unknown user or wrong password (never says which). */
    public static final AuthReply INVALID_CREDENTIALS =
            new AuthReply(535, "5.7.8", "Authentication credentials invalid");
    /** {@code 535 5.7.8}: PLAIN authzid was neither empty nor equal to the authcid. */
    public static final AuthReply AUTHZID_NOT_PERMITTED =
            new AuthReply(535, "5.7.8", "Authorization identity must be empty or equal the user name");
    /** {@code 454 4.7.0}: the check could not run now (worker queue full, shutting down); the client may retry. */
    public static final AuthReply TEMPORARY_FAILURE =
            new AuthReply(454, "4.7.0", "Temporary authentication failure");
    /** {@code 454 4.7.0}: this client address failed too often in the last minute. */
    public static final AuthReply TOO_MANY_FAILURES =
            new AuthReply(454, "4.7.0", "Too many authentication failures, try again later");
    /** {@code 504 5.5.4}: a mechanism other than PLAIN or LOGIN. */
    public static final AuthReply UNRECOGNIZED_MECHANISM =
            new AuthReply(504, "5.5.4", "Unrecognized authentication mechanism");
    /** {@code 538 5.7.11}: AUTH before TLS on a listener that does not allow plaintext AUTH. */
    public static final AuthReply ENCRYPTION_REQUIRED =
            new AuthReply(538, "5.7.11", "Encryption required for requested authentication mechanism");
    /** {@code 503 5.5.1}: AUTH after a successful AUTH in the same session. */
    public static final AuthReply ALREADY_AUTHENTICATED = new AuthReply(503, "5.5.1", "Already authenticated");
    /** {@code 501 5.7.0}: the client answered a challenge with {@code *}. */
    public static final AuthReply CANCELLED = new AuthReply(501, "5.7.0", "Authentication cancelled");
    /** {@code 501 5.5.2}: AUTH without a mechanism, or with extra arguments. */
    public static final AuthReply SYNTAX = new AuthReply(501, "5.5.2", "Syntax: AUTH mechanism [initial-response]");
    /** {@code 501 5.5.2}: a response that is not base64, is too long, or does not decode to UTF-8. */
    public static final AuthReply CANNOT_DECODE = new AuthReply(501, "5.5.2", "Cannot decode response");
    /** {@code 501 5.5.2}: a PLAIN message without exactly two NUL separators. */
    public static final AuthReply MALFORMED_PLAIN = new AuthReply(501, "5.5.2", "Malformed PLAIN response");

    public AuthReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(enhanced, "enhanced");
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("reply text contains CR or LF");
        }
    }

    /** The reply line without CRLF, e.g. {@code 535 5.7.8 Authentication credentials invalid}. */
    public String line() {
        return code + " " + enhanced + " " + text;
    }

    @Override
    public String toString() {
        return line();
    }
}
