package io.sluice.delivery;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.sluice.config.DeliverySettings;
import io.sluice.util.IpLiteral;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Opens outbound SMTP connections to MX hosts (the client half of the {@code delivery} package).
 *
 * <p>Input: an MX address already resolved and already checked against {@code delivery.allow_private_mx} (that is
 * the resolver's job), the MX host name (for SNI and logs) and whether this site failed TLS recently. Output: a
 * future completed with an open, idle {@link OutboundConnection}, or exceptionally with an
 * {@link OutboundException} of a {@link FailureKind}: {@code CONNECT_FAILED} (refused, unreachable, bad bind),
 * {@code TIMEOUT} (connect, greeting, EHLO), {@code GREETING_REJECTED}, {@code HELO_REJECTED}, {@code TLS_FAILED},
 * {@code TLS_UNAVAILABLE}, {@code CONNECTION_LOST}, {@code PROTOCOL_ERROR}; see {@link SessionOpening}. The caller
 * tries the next MX on any of them.
 *
 * <p>Settings used: {@code bind_address} (source IP; the kernel picks the port), {@code ehlo_name}, {@code tls},
 * {@code connect_timeout}, {@code greeting_timeout}, {@code command_timeout} and, per transaction, the data
 * timeouts and {@code max_recipients_per_transaction}. TLS: the given client context, or
 * {@link OpportunisticTls#clientContext()} (never fails on the certificate) when null.
 *
 * <p>Pipeline per connection: {@code [tls] -> SmtpReplyDecoder -> DotStuffingEncoder -> SmtpClientHandler}.
 *
 * <p>Threading: {@link #connect} may be called from any thread; the connection lives on one event loop of the
 * group and the future completes on it. Thread-safe; a reload replaces the settings for new connections.
 */
public final class OutboundConnector {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    /** Replaced on reload ({@link #settings(DeliverySettings)}); each connection reads it once. */
    private volatile DeliverySettings settings;
    private final SslContext sslContext;
    private final OpportunisticTls trust;
    /** AUTH after TLS (a smarthost with {@code auth}), or null; replaced on reload like the settings. */
    private volatile SmtpLogin login;

    /** With the JDK default trust store judging peers ({@link OutboundConnection#tlsPeerVerified()}). */
    public OutboundConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
                             DeliverySettings settings, SslContext clientSslContext) {
        this(group, channelClass, settings, clientSslContext, OpportunisticTls.jdkDefault());
    }

    public OutboundConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
                             DeliverySettings settings, SslContext clientSslContext, OpportunisticTls trust) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sslContext = clientSslContext != null ? clientSslContext : OpportunisticTls.clientContext();
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /**
     * Connects to {@code mx} and opens an SMTP session.
     *
     * @param mx                 resolved address and port of the MX host
     * @param mxHostName         its name from the MX record (SNI, logs); an IP literal for implicit MX on a literal
     * @param tlsDisabledForSite skip STARTTLS (a recent TLS failure at this site); ignored under {@code tls: required}
     */
    public CompletableFuture<OutboundConnection> connect(InetSocketAddress mx, String mxHostName,
                                                         boolean tlsDisabledForSite) {
        Objects.requireNonNull(mx, "mx");
        DeliverySettings settings = this.settings;
        InetSocketAddress bindAddress = settings.bindAddress() == null || settings.bindAddress().isEmpty() ? null
                : new InetSocketAddress(IpLiteral.toInetAddress(settings.bindAddress()), 0);
        CompletableFuture<OutboundConnection> result = new CompletableFuture<>();
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        SmtpClientHandler handler = new SmtpClientHandler(decoder);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("replies", decoder);
                        ch.pipeline().addLast("dot-stuffing", new DotStuffingEncoder());
                        ch.pipeline().addLast("session", handler);
                        OutboundConnection connection = new OutboundConnection(ch, handler, settings,
                                mxHostName == null ? mx.getHostString() : mxHostName, mx);
                        handler.install(new SessionOpening(connection, handler, settings, sslContext, trust,
                                tlsDisabledForSite, login, result));
                    }
                });
        ChannelFuture connect = bindAddress == null ? bootstrap.connect(mx) : bootstrap.connect(mx, bindAddress);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                FailureKind kind = cause instanceof ConnectTimeoutException ? FailureKind.TIMEOUT
                        : FailureKind.CONNECT_FAILED;
                result.completeExceptionally(new OutboundException(kind, Stage.CONNECT, null,
                        "connect to " + mxHostName + "[" + mx + "]: " + cause, cause));
                Channel ch = connect.channel();
                if (ch != null) {
                    ch.close();
                }
            }
        });
        return result;
    }

    public DeliverySettings settings() {
        return settings;
    }

    /** Reload or set-up: connections opened from now on authenticate with {@code next} (null: no AUTH). */
    public void login(SmtpLogin next) {
        this.login = next;
    }

    /**
     * Reload: connections opened from now on use {@code next}'s timeouts; open ones keep theirs. The bind address
     * is fixed at construction (a change needs a restart; see {@code config.RestartRequired}).
     */
    public void settings(DeliverySettings next) {
        this.settings = Objects.requireNonNull(next, "next");
    }
}
