package io.sluice.smtp.server.auth;

import java.util.Objects;

/**
 * The outcome of one step of a {@link SaslExchange}: send a challenge and wait for a line, or the exchange is over
 * with credentials to verify, or it failed with a reply to send. Immutable.
 */
public sealed interface SaslStep permits SaslStep.Challenge, SaslStep.Done, SaslStep.Failed {

    /**
     * Send {@link #line()} and feed the client's next line to {@link SaslExchange#respond(String)}.
     *
     * @param base64 the base64 challenge text; empty for PLAIN's empty challenge
     */
    record Challenge(String base64) implements SaslStep {
        public Challenge {
            Objects.requireNonNull(base64, "base64");
        }

        /** The reply line without CRLF: {@code "334 " + base64}, so {@code "334 "} for an empty challenge. */
        public String line() {
            return "334 " + base64;
        }
    }

    /** The exchange decoded credentials; pass them to {@link AuthVerifier#verify}. */
    record Done(Credentials credentials) implements SaslStep {
        public Done {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** The exchange ended without credentials; send {@code reply} and return to the command state. */
    record Failed(AuthReply reply) implements SaslStep {
        public Failed {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
