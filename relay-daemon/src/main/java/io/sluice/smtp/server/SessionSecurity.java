package io.sluice.smtp.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.sluice.config.ListenerSettings;
import io.sluice.smtp.codec.CommandLine;
import java.nio.charset.StandardCharsets;

/**
 * What one session's client has proven, and the commands that prove it: STARTTLS (RFC 3207) and AUTH (RFC 4954).
 * Holds whether TLS is active and the authenticated identity, which the EHLO offer, relay permission, the
 * {@code Received} protocol and the journal record read.
 *
 * <p>Inputs: STARTTLS and AUTH {@link CommandLine}s, lines during an AUTH exchange, the TLS handshake outcome, and the
 * {@link AuthExchange} callbacks. Outputs: replies through the session, an {@link SslHandler} inserted at the head of
 * the pipeline, and session state changes ({@code AUTH} while an exchange runs, {@code CONNECTED} after STARTTLS).
 * Config: the listener's {@code tls} mode and {@code auth} ({@code enabled}, {@code allow_plaintext}); AUTH is offered
 * only over TLS unless plaintext is allowed, and only when the listener has a verifier.
 *
 * <p>Trust: STARTTLS discards anything the client pipelined after it (RFC 3207 4.2, CVE-2011-0411) and forgets all
 * the session learned before TLS, including an AUTH identity. While the verifier checks credentials the decoder is
 * paused, so nothing pipelined after the last response is acted on before the result.
 *
 * <p>Threading: the session's event loop only ({@link AuthExchange} hops back to it). Failure modes: refusals are
 * precise replies counted as errors; AUTH failures count as errors except temporary ones; a failed handshake closes
 * the channel (the session does that).
 */
final class SessionSecurity {
    private final SmtpSession session;
    private final ListenerContext listener;
    private final ListenerSettings listenerSettings;

    /** A TLS handshake has completed (implicit TLS or after STARTTLS). */
    private boolean tlsActive;
    /** The authenticated user; null until AUTH succeeds, and again after STARTTLS. */
    private String authIdentity;
    /** The AUTH exchange in progress, while the session is in {@code AUTH}. */
    private AuthExchange authExchange;

    SessionSecurity(SmtpSession session, ListenerContext listener, ListenerSettings listenerSettings) {
        this.session = session;
        this.listener = listener;
        this.listenerSettings = listenerSettings;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    String authIdentity() {
        return authIdentity;
    }

    /** The TLS handshake succeeded. */
    void tlsEstablished() {
        tlsActive = true;
    }

    /** Whether EHLO offers STARTTLS now. */
    boolean startTlsOffered() {
        return listenerSettings.tls() == ListenerSettings.TlsMode.STARTTLS && !tlsActive;
    }

    /** Whether EHLO offers AUTH now. */
    boolean authOffered() {
        return listenerSettings.auth().enabled() && listener.authVerifier() != null
                && (tlsActive || listenerSettings.auth().allowPlaintext());
    }

    void startTls(CommandLine line) {
        if (listenerSettings.tls() != ListenerSettings.TlsMode.STARTTLS || listener.sslContext() == null) {
            session.error(SmtpReplies.TLS_UNAVAILABLE, Rejection.UNKNOWN_COMMAND);
            return;
        }
        if (tlsActive) {
            session.error(SmtpReplies.TLS_ACTIVE, Rejection.BAD_SEQUENCE);
            return;
        }
        if (line.argumentLength() > 0) {
            session.error(SmtpReplies.NO_ARGUMENT, Rejection.BAD_SYNTAX);
            return;
        }
        ChannelHandlerContext ctx = session.ctx();
        // RFC 3207 4.2 and CVE-2011-0411: nothing the client pipelined after STARTTLS may be acted on.
        session.decoder().discardBuffered();
        // startTls=true: the 220 below still goes out in plain text, everything after it is TLS.
        ctx.pipeline().addFirst("tls", new SslHandler(listener.sslContext().newEngine(ctx.alloc()), true));
        ctx.writeAndFlush(SmtpReplies.READY_TLS.duplicate());
        // RFC 3207 4.2: forget everything learned from the client before TLS.
        session.forgetClient();
        authIdentity = null;
    }

    void auth(CommandLine line) {
        if (!listenerSettings.auth().enabled() || listener.authVerifier() == null) {
            session.error(SmtpReplies.NOT_IMPLEMENTED, Rejection.UNKNOWN_COMMAND);
            return;
        }
        SmtpSession.State state = session.state();
        if (state == SmtpSession.State.CONNECTED) {
            session.error(SmtpReplies.NEED_HELO, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state != SmtpSession.State.GREETED) {
            session.error(SmtpReplies.text("503 5.5.1 Error: MAIL transaction in progress"), Rejection.BAD_SEQUENCE);
            return;
        }
        if (authIdentity != null) {
            session.error(SmtpReplies.text("503 5.5.1 Error: already authenticated"), Rejection.BAD_SEQUENCE);
            return;
        }
        if (!tlsActive && !listenerSettings.auth().allowPlaintext()) {
            session.error(SmtpReplies.text("538 5.7.11 Encryption required for requested authentication mechanism"),
                    Rejection.AUTH_FAILED);
            return;
        }
        authExchange = new AuthExchange(this, listener.authVerifier(), session.clientAddress());
        session.state(SmtpSession.State.AUTH);
        authExchange.start(line.argument(StandardCharsets.US_ASCII));
    }

    /** A line from the client while the session is in {@code AUTH}. */
    void onAuthResponse(CommandLine line) {
        authExchange.onResponse(line);
    }

    /** AUTH exchange callbacks (event loop). */
    void authChallenge(String reply) {
        session.reply(SmtpReplies.text(reply));
    }

    void authAwaitingVerification() {
        session.decoder().pause();
    }

    void authFinished(String reply, String identity, boolean countsAsError) {
        session.state(SmtpSession.State.GREETED);
        authExchange = null;
        if (identity != null) {
            authIdentity = identity;
        }
        if (countsAsError) {
            session.error(SmtpReplies.text(reply), Rejection.AUTH_FAILED);
        } else {
            session.reply(SmtpReplies.text(reply));
        }
        if (session.decoder().isPaused() && session.state() != SmtpSession.State.CLOSED && !session.isClosing()) {
            session.decoder().resume();
        }
        session.ctx().flush();
    }

    /** Where the verifier's answer must be delivered. */
    io.netty.channel.EventLoop eventLoop() {
        return session.eventLoop();
    }
}
