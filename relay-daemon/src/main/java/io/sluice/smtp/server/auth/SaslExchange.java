package io.sluice.smtp.server.auth;

import java.util.Locale;
import java.util.Objects;

/**
 * One SASL exchange started by an {@code AUTH} command: a small state machine whose input is the AUTH arguments and
 * then each client line, and whose output is a {@link SaslStep} (challenge, credentials, or failure reply).
 *
 * <p>Use: {@link #begin(String)} with the text after {@code "AUTH "}, then {@link #start()} once, then
 * {@link #respond(String)} with each line (CRLF removed) for as long as the last step was a
 * {@link SaslStep.Challenge}. A line {@code *} cancels ({@code 501 5.7.0}). Calling {@code respond} after the
 * exchange ended throws {@link IllegalStateException}: that is a session bug, not client input.
 *
 * <p>{@code begin} never fails: a bad command yields an exchange whose {@code start()} returns the failure
 * ({@code 501 5.5.2} syntax, {@code 504 5.5.4} unknown mechanism), so the session has one code path. Mechanism
 * names are case-insensitive. Whether AUTH is allowed at all (TLS, already authenticated, in a transaction) is the
 * session's decision, made before {@code begin}.
 *
 * <p>Threading: one exchange belongs to one session and is used from its event loop only. No I/O, no blocking.
 */
public abstract sealed class SaslExchange permits SaslPlain, SaslLogin, SaslExchange.Refused {

    /** The mechanisms offered in EHLO, in preference order: {@code AUTH PLAIN LOGIN}. */
    public static final String ADVERTISED_MECHANISMS = "PLAIN LOGIN";

    private boolean started;
    private boolean finished;

    SaslExchange() {
    }

    /**
     * Parses {@code mechanism [SP initial-response]} and returns the exchange for it.
     *
     * @param arguments the AUTH arguments, without the verb and without CRLF
     */
    public static SaslExchange begin(String arguments) {
        Objects.requireNonNull(arguments, "arguments");
        int space = arguments.indexOf(' ');
        String mechanism = space < 0 ? arguments : arguments.substring(0, space);
        String initialResponse = space < 0 ? null : arguments.substring(space + 1);
        if (mechanism.isEmpty() || (initialResponse != null
                && (initialResponse.isEmpty() || initialResponse.indexOf(' ') >= 0))) {
            return new Refused(AuthReply.SYNTAX);
        }
        switch (mechanism.toUpperCase(Locale.ROOT)) {
            case SaslPlain.NAME:
                return new SaslPlain(initialResponse);
            case SaslLogin.NAME:
                return new SaslLogin(initialResponse);
            default:
                return new Refused(AuthReply.UNRECOGNIZED_MECHANISM);
        }
    }

    /** The mechanism name in upper case ({@code PLAIN}, {@code LOGIN}), or {@code null} for a refused command. */
    public abstract String mechanism();

    /** The first step: uses the initial response if the command had one. Call exactly once. */
    public final SaslStep start() {
        if (started) {
            throw new IllegalStateException("exchange already started");
        }
        started = true;
        return track(onStart());
    }

    /** The next step after the client's line {@code line} (without CRLF). */
    public final SaslStep respond(String line) {
        Objects.requireNonNull(line, "line");
        if (!started || finished) {
            throw new IllegalStateException(started ? "exchange already finished" : "exchange not started");
        }
        if (line.equals("*")) {
            return track(new SaslStep.Failed(AuthReply.CANCELLED));
        }
        return track(onResponse(line));
    }

    /** True once a step other than a challenge was returned. */
    public final boolean isFinished() {
        return finished;
    }

    abstract SaslStep onStart();

    abstract SaslStep onResponse(String line);

    private SaslStep track(SaslStep step) {
        if (!(step instanceof SaslStep.Challenge)) {
            finished = true;
        }
        return step;
    }

    /** A command that fails at its first step (bad syntax or unsupported mechanism). */
    static final class Refused extends SaslExchange {
        private final AuthReply reply;

        Refused(AuthReply reply) {
            this.reply = reply;
        }

        @Override
        public String mechanism() {
            return null;
        }

        @Override
        SaslStep onStart() {
            return new SaslStep.Failed(reply);
        }

        @Override
        SaslStep onResponse(String line) {
            throw new IllegalStateException("a refused exchange takes no responses");
        }
    }
}
