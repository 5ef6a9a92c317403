package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.util.IpLiteral;
import java.util.concurrent.CompletableFuture;

/**
 * Opens an SMTP session after the TCP connect: greeting, EHLO (HELO when EHLO gets a 5xx), STARTTLS when policy
 * and the next hop allow it, EHLO again inside TLS (RFC 3207 4.2: forget what was learned before). Completes the
 * connect future with the {@link OutboundConnection}, or with an {@link OutboundException}:
 * <ul>
 *   <li>greeting other than 220 (421, 554, ...): {@link FailureKind#GREETING_REJECTED}, QUIT sent (RFC 5321 3.1);
 *   <li>EHLO 4xx, or EHLO 5xx then HELO refused: {@link FailureKind#HELO_REJECTED};
 *   <li>handshake failure or timeout, or the connection lost during it: {@link FailureKind#TLS_FAILED}, so the
 *       caller can retry in clear text ({@code tlsDisabledForSite}) and remember that for the site;
 *   <li>{@code tls: required} and no STARTTLS offered, STARTTLS refused, or HELO only:
 *       {@link FailureKind#TLS_UNAVAILABLE} (temporary);
 *   <li>bytes after the STARTTLS 220 (a response injection, cf. CVE-2011-0411), or a reply while the handshake
 *       runs: {@link FailureKind#PROTOCOL_ERROR}.
 * </ul>
 * Under {@code tls: opportunistic} a refused STARTTLS (e.g. 454) continues in clear text, as RFC 3207 allows.
 * With a {@link SmtpLogin} (a smarthost's {@code auth}) the session then authenticates, inside TLS only: PLAIN when
 * offered, else LOGIN; {@code 235} opens the session, anything else is {@link FailureKind#AUTH_FAILED} (no TLS:
 * {@link FailureKind#TLS_UNAVAILABLE}).
 * {@code tlsDisabledForSite} is ignored under {@code tls: required}.
 *
 * <p>Threading: event loop of the channel.
 */
final class SessionOpening implements Exchange {
    private enum State { GREETING, EHLO, HELO, STARTTLS, TLS_HANDSHAKE, EHLO_IN_TLS, AUTH_PLAIN, AUTH_LOGIN_USER,
        AUTH_LOGIN_PASSWORD, AUTH_LOGIN_DONE }

    private final OutboundConnection connection;
    private final SmtpClientHandler handler;
    private final DeliverySettings settings;
    private final SslContext sslContext;
    private final OpportunisticTls trust;
    private final boolean tlsWanted;
    private final CompletableFuture<OutboundConnection> result;
    /** AUTH towards a smarthost once the session is protected, or null. */
    private final SmtpLogin login;
    private State state = State.GREETING;
    private EhloCapabilities capabilities = EhloCapabilities.helo();

    SessionOpening(OutboundConnection connection, SmtpClientHandler handler, DeliverySettings settings,
                   SslContext sslContext, OpportunisticTls trust, boolean tlsDisabledForSite,
                   CompletableFuture<OutboundConnection> result) {
        this(connection, handler, settings, sslContext, trust, tlsDisabledForSite, null, result);
    }

    SessionOpening(OutboundConnection connection, SmtpClientHandler handler, DeliverySettings settings,
                   SslContext sslContext, OpportunisticTls trust, boolean tlsDisabledForSite, SmtpLogin login,
                   CompletableFuture<OutboundConnection> result) {
        this.login = login;
        this.connection = connection;
        this.handler = handler;
        this.settings = settings;
        this.sslContext = sslContext;
        this.trust = trust;
        this.tlsWanted = settings.tlsMandatory()
                || (settings.tls() == OutboundTls.OPPORTUNISTIC && !tlsDisabledForSite);
        this.result = result;
    }

    @Override
    public void start() {
        connection.connected();
        handler.expect(Stage.GREETING, settings.greetingTimeout());
    }

    @Override
    public void onReply(SmtpReply reply) {
        switch (state) {
            case GREETING -> {
                if (reply.code() != 220) {
                    reject(FailureKind.GREETING_REJECTED, Stage.GREETING, reply, "greeting " + reply);
                    return;
                }
                connection.greeting(reply);
                sendHello(State.EHLO);
            }
            case EHLO -> {
                if (reply.isPositive()) {
                    afterEhlo(EhloCapabilities.parse(reply));
                } else if (reply.isPermanent()) {
                    sendHello(State.HELO);
                } else {
                    reject(FailureKind.HELO_REJECTED, Stage.EHLO, reply, "EHLO " + reply);
                }
            }
            case HELO -> {
                if (!reply.isPositive()) {
                    reject(FailureKind.HELO_REJECTED, Stage.HELO, reply, "HELO " + reply);
                } else if (settings.tlsMandatory()) {
                    reject(FailureKind.TLS_UNAVAILABLE, Stage.HELO, null, "TLS required, next hop only speaks HELO");
                } else {
                    succeed(EhloCapabilities.helo());
                }
            }
            case STARTTLS -> {
                if (reply.code() == 220) {
                    beginTls();
                } else if (settings.tlsMandatory()) {
                    reject(FailureKind.TLS_UNAVAILABLE, Stage.STARTTLS, reply, "STARTTLS " + reply);
                } else {
                    succeed(capabilities);
                }
            }
            case TLS_HANDSHAKE -> handler.fail(FailureKind.PROTOCOL_ERROR, "reply during TLS handshake: " + reply,
                    null);
            case EHLO_IN_TLS -> {
                if (reply.isPositive()) {
                    succeed(EhloCapabilities.parse(reply));
                } else {
                    reject(FailureKind.HELO_REJECTED, Stage.EHLO, reply, "EHLO after STARTTLS " + reply);
                }
            }
            case AUTH_PLAIN, AUTH_LOGIN_DONE -> {
                if (reply.code() == 235) {
                    handler.idle();
                    connection.opened(capabilities);
                    result.complete(connection);
                } else {
                    reject(FailureKind.AUTH_FAILED, Stage.AUTH, reply, "AUTH " + reply);
                }
            }
            case AUTH_LOGIN_USER, AUTH_LOGIN_PASSWORD -> {
                if (reply.code() != 334) {
                    reject(FailureKind.AUTH_FAILED, Stage.AUTH, reply, "AUTH LOGIN " + reply);
                } else if (state == State.AUTH_LOGIN_USER) {
                    sendAuth(State.AUTH_LOGIN_PASSWORD, SmtpLogin.base64(login.username()));
                } else {
                    sendAuth(State.AUTH_LOGIN_DONE, SmtpLogin.base64(login.password()));
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /**
     * AUTH after the last EHLO (RFC 4954), only inside TLS: PLAIN when offered, else LOGIN; a password is never sent
     * in clear text.
     */
    private void authenticate(EhloCapabilities caps) {
        capabilities = caps;
        if (!connection.tlsActive()) {
            reject(FailureKind.TLS_UNAVAILABLE, Stage.AUTH, null, "AUTH needs TLS and the session has none");
        } else if (login.password() == null) {
            reject(FailureKind.AUTH_FAILED, Stage.AUTH, null, login.problem());
        } else if (caps.authMechanisms().contains("PLAIN")) {
            sendAuth(State.AUTH_PLAIN, "AUTH PLAIN " + login.plainResponse());
        } else if (caps.authMechanisms().contains("LOGIN")) {
            sendAuth(State.AUTH_LOGIN_USER, "AUTH LOGIN");
        } else {
            reject(FailureKind.AUTH_FAILED, Stage.AUTH, null, "no AUTH mechanism in common (offered: "
                    + caps.authMechanisms() + "; Sluice speaks PLAIN and LOGIN)");
        }
    }

    private void sendAuth(State next, String line) {
        state = next;
        ByteBuf out = handler.context().alloc().buffer(line.length() + 2);
        CommandWriter.authLine(out, line);
        handler.expect(Stage.AUTH, settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    private void sendHello(State next) {
        state = next;
        ByteBuf out = handler.context().alloc().buffer(16 + settings.ehloName().length() * 3);
        if (next == State.HELO) {
            CommandWriter.helo(out, settings.ehloName());
        } else {
            CommandWriter.ehlo(out, settings.ehloName());
        }
        handler.expect(next == State.HELO ? Stage.HELO : Stage.EHLO, settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    private void afterEhlo(EhloCapabilities caps) {
        capabilities = caps;
        if (tlsWanted && caps.startTls()) {
            state = State.STARTTLS;
            ByteBuf out = handler.context().alloc().buffer(10);
            CommandWriter.startTls(out);
            handler.expect(Stage.STARTTLS, settings.commandTimeout());
            handler.writeAndFlush(out);
        } else if (settings.tlsMandatory()) {
            reject(FailureKind.TLS_UNAVAILABLE, Stage.EHLO, null, "TLS required, STARTTLS not offered");
        } else {
            succeed(caps);
        }
    }

    private void beginTls() {
        if (handler.bufferedReplyBytes() > 0) {
            handler.fail(FailureKind.PROTOCOL_ERROR, "data after the STARTTLS reply", null);
            return;
        }
        state = State.TLS_HANDSHAKE;
        String host = sniName(connection.mxHostName());
        SslHandler tls = host == null ? sslContext.newHandler(handler.context().alloc())
                : sslContext.newHandler(handler.context().alloc(), host, connection.remoteAddress().getPort());
        // One timer for the whole handshake: ours, so that its expiry is reported like every other timeout.
        tls.setHandshakeTimeoutMillis(0);
        handler.expect(Stage.TLS_HANDSHAKE, settings.commandTimeout());
        handler.context().pipeline().addFirst("tls", tls);
    }

    /** SNI carries host names only (RFC 6066 3): none for IP literals; no trailing dot. */
    private static String sniName(String mxHostName) {
        if (mxHostName == null || mxHostName.isEmpty()) {
            return null;
        }
        String name = mxHostName.endsWith(".") ? mxHostName.substring(0, mxHostName.length() - 1) : mxHostName;
        return name.isEmpty() || IpLiteral.isLiteral(name) ? null : name;
    }

    @Override
    public void onTlsHandshake(SslHandshakeCompletionEvent event) {
        if (state != State.TLS_HANDSHAKE) {
            return;
        }
        if (!event.isSuccess()) {
            handler.fail(FailureKind.TLS_FAILED, "TLS handshake failed: " + event.cause(), event.cause());
            return;
        }
        SslHandler tls = handler.context().pipeline().get(SslHandler.class);
        javax.net.ssl.SSLSession session = tls.engine().getSession();
        boolean trusted = trust.isTrusted(session);
        String host = sniName(connection.mxHostName());
        boolean named = trusted && OpportunisticTls.namesHost(session, host);
        connection.tlsStarted(named, session.getProtocol(), session.getCipherSuite());
        if (settings.tls() == OutboundTls.VERIFY && !named) {
            reject(FailureKind.TLS_UNVERIFIED, Stage.TLS_HANDSHAKE, null, "verified TLS required (tls: verify, or"
                    + " the domain's MTA-STS policy in enforce mode): the certificate of "
                    + (host == null ? "the next hop" : host) + (trusted ? " does not name it"
                    : " does not validate against the trust store"));
            return;
        }
        sendHello(State.EHLO_IN_TLS);
    }

    @Override
    public void onBroken(FailureKind kind, Stage stage, String detail, Throwable cause) {
        FailureKind effective = state == State.TLS_HANDSHAKE ? FailureKind.TLS_FAILED : kind;
        result.completeExceptionally(new OutboundException(effective, stage, null,
                detail + " (" + connection.describePeer() + ")", cause));
    }

    private void reject(FailureKind kind, Stage stage, SmtpReply reply, String detail) {
        ByteBuf quit = handler.context().alloc().buffer(6);
        CommandWriter.quit(quit);
        handler.close(quit);
        result.completeExceptionally(new OutboundException(kind, stage, reply,
                detail + " (" + connection.describePeer() + ")", null));
    }

    private void succeed(EhloCapabilities caps) {
        if (login != null) {
            authenticate(caps);
            return;
        }
        connection.opened(caps);
        handler.idle();
        result.complete(connection);
    }
}
