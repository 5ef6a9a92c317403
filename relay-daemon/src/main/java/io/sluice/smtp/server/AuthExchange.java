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
 * the credentials to the {@link AuthVerifier}, whose answer comes back on the session's event loop. While the check
 * runs the session's decoder is paused, so nothing pipelined after the last response is acted on before the result.
 *
 * <p>Event loop only (the verifier's completion hops back to it). One instance per AUTH command.
 */
final class AuthExchange {
    private final SmtpSession session;
    private final AuthVerifier verifier;
    private final InetAddress client;
    private SaslExchange sasl;

    AuthExchange(SmtpSession session, AuthVerifier verifier, InetAddress client) {
        this.session = session;
        this.verifier = verifier;
        this.client = client;
    }

    void start(String arguments) {
        if (verifier.isThrottled(client)) {
            session.authFinished(AuthResult.THROTTLED.reply().line(), null, true);
            return;
        }
        sasl = SaslExchange.begin(arguments);
        step(sasl.start());
    }

    /** A line from the client while the exchange waits for a response. */
    void onResponse(CommandLine line) {
        if (line.status() != CommandLine.Status.OK) {
            session.authFinished("501 5.5.2 Cannot decode response", null, true);
            return;
        }
        step(sasl.respond(line.text(StandardCharsets.US_ASCII)));
    }

    private void step(SaslStep step) {
        if (step instanceof SaslStep.Challenge) {
            session.authChallenge(((SaslStep.Challenge) step).line());
        } else if (step instanceof SaslStep.Failed) {
            session.authFinished(((SaslStep.Failed) step).reply().line(), null, true);
        } else {
            SaslStep.Done done = (SaslStep.Done) step;
            session.authAwaitingVerification();
            verifier.verify(done.credentials(), client).whenComplete((result, error) ->
                    session.eventLoop().execute(() -> finish(result, error)));
        }
    }

    private void finish(AuthResult result, Throwable error) {
        if (error != null || result == null) {
            session.authFinished("454 4.7.0 Temporary authentication failure", null, false);
        } else if (result.isSuccess()) {
            session.authFinished(result.reply().line(), result.user(), false);
        } else {
            session.authFinished(result.reply().line(), null, result.outcome() != AuthResult.Outcome.TEMPORARY_FAILURE);
        }
    }
}
