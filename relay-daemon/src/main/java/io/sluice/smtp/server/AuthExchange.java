package io.sluice.smtp.server;

import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.server.auth.AuthResult;
import io.sluice.smtp.server.auth.AuthVerifier;
import io.sluice.smtp.server.auth.SaslExchange;
import io.sluice.smtp.server.auth.SaslStep;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * One AUTH command's exchange (RFC 4954) for a session: drives the SASL state machine, sends challenges, and hands
 * the credentials to the {@link AuthVerifier}, whose answer comes back on the session's event loop. Reports to the
 * session's {@link SessionSecurity}. While the check runs the session's decoder is paused, so nothing pipelined
 * after the last response is acted on before the result.
 *
 * <p>Event loop only (the verifier's completion hops back to it). One instance per AUTH command.
 */
final class AuthExchange {
    private final SessionSecurity security;
    private final AuthVerifier verifier;
    private final InetAddress client;
    private SaslExchange sasl;

    AuthExchange(SessionSecurity security, AuthVerifier verifier, InetAddress client) {
        this.security = security;
        this.verifier = verifier;
        this.client = client;
    }

    void start(String arguments) {
        if (verifier.isThrottled(client)) {
            security.authFinished(AuthResult.THROTTLED.reply().line(), null, true);
            return;
        }
        sasl = SaslExchange.begin(arguments);
        step(sasl.start());
    }

    /** A line from the client while the exchange waits for a response. */
    void onResponse(CommandLine line) {
        if (line.status() != CommandLine.Status.OK) {
            security.authFinished("501 5.5.2 Cannot decode response", null, true);
            return;
        }
        step(sasl.respond(line.text(StandardCharsets.US_ASCII)));
    }

    private void step(SaslStep step) {
        if (step instanceof SaslStep.Challenge) {
            security.authChallenge(((SaslStep.Challenge) step).line());
        } else if (step instanceof SaslStep.Failed) {
            security.authFinished(((SaslStep.Failed) step).reply().line(), null, true);
        } else {
            SaslStep.Done done = (SaslStep.Done) step;
            security.authAwaitingVerification();
            verifier.verify(done.credentials(), client).whenComplete((result, error) ->
                    security.eventLoop().execute(() -> finish(result, error)));
        }
    }

    private void finish(AuthResult result, Throwable error) {
        if (error != null || result == null) {
            security.authFinished("454 4.7.0 Temporary authentication failure", null, false);
        } else if (result.isSuccess()) {
            security.authFinished(result.reply().line(), result.user(), false);
        } else {
            security.authFinished(result.reply().line(), null, result.outcome() != AuthResult.Outcome.TEMPORARY_FAILURE);
        }
    }
}
