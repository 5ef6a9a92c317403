package io.sluice.smtp.server.auth;

import java.util.Objects;

/**
 * The verdict of {@link AuthVerifier#verify}. Immutable.
 *
 * @param outcome what happened
 * @param user    the authenticated identity for {@link Outcome#SUCCESS}, otherwise {@code null}
 */
public record AuthResult(Outcome outcome, String user) {

    /** What a verification concluded, and which reply the session sends for it. */
    public enum Outcome {
        /** The password matches; the session is now authenticated as {@link #user()}. Reply 235 2.7.0. */
        SUCCESS(AuthReply.SUCCESS),
        /** Unknown user or wrong password. Reply 535 5.7.8. */
        INVALID(AuthReply.INVALID_CREDENTIALS),
        /**
         * Refused without checking: this client failed too often in the last minute. Reply 454 4.7.0 (or close the
         * session with 421 4.7.0).
         */
        THROTTLED(AuthReply.TOO_MANY_FAILURES),
        /** Not checked now: worker queue full, verifier closed, or an internal error. Reply 454 4.7.0. */
        TEMPORARY_FAILURE(AuthReply.TEMPORARY_FAILURE);

        private final AuthReply reply;

        Outcome(AuthReply reply) {
            this.reply = reply;
        }

        public AuthReply reply() {
            return reply;
        }
    }

    public static final AuthResult INVALID = new AuthResult(Outcome.INVALID, null);
    public static final AuthResult THROTTLED = new AuthResult(Outcome.THROTTLED, null);
    public static final AuthResult TEMPORARY_FAILURE = new AuthResult(Outcome.TEMPORARY_FAILURE, null);

    public AuthResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.SUCCESS) != (user != null)) {
            throw new IllegalArgumentException("user is set for SUCCESS and only for SUCCESS");
        }
    }

    public static AuthResult success(String user) {
        return new AuthResult(Outcome.SUCCESS, Objects.requireNonNull(user, "user"));
    }

    public boolean isSuccess() {
        return outcome == Outcome.SUCCESS;
    }

    /** The reply line to send for this result. */
    public AuthReply reply() {
        return outcome.reply();
    }
}
