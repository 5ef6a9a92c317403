package io.sluice.smtp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.sluice.config.ListenerSettings;
import io.sluice.config.Settings;
import io.sluice.config.SettingsHolder;
import io.sluice.events.EventPublisher;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.MessageSink;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import io.sluice.smtp.server.auth.AuthVerifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP ingress: binds every configured listener on the shared event-loop group and builds each connection's
 * pipeline ({@code [tls] -> limiter -> decoder -> session}).
 *
 * <p>Lifecycle: {@link #start} binds all listeners or fails naming the one that could not bind;
 * {@link #stopAccepting} closes the listening sockets; {@link #drainSessions} implements the ingress part of
 * docs/architecture.md "Shutdown": idle sessions get {@code 421 4.3.2} at once, sessions in DATA may finish within the
 * grace period, and every message already handed to the journal still gets its reply. Thread-safe.
 */
public final class SmtpServer {
    static final AttributeKey<ListenerContext> LISTENER = AttributeKey.valueOf("sluice.listener");
    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    /** Everything ingress needs from the rest of the daemon. */
    public record Dependencies(
            SettingsHolder settings,
            EventLoopGroup group,
            Class<? extends ServerChannel> serverChannelClass,
            JournalWriter journal,
            LongSupplier messageIds,
            LongSupplier pendingRecipients,
            LongSupplier journalFreeBytes,
            Function<String, IngressObserver> observers,
            Map<String, AuthVerifier> authVerifiers,
            EventPublisher events,
            ToLongFunction<String> pendingRecipientsOfAuthUser,
            RecipientSuppression suppression,
            MessageSink feedback,
            UnsubscribeHeaders unsubscribe,
            DkimStage dkim) {

        /** Without DKIM signing. */
        public Dependencies(SettingsHolder settings, EventLoopGroup group,
                            Class<? extends ServerChannel> serverChannelClass, JournalWriter journal,
                            LongSupplier messageIds, LongSupplier pendingRecipients, LongSupplier journalFreeBytes,
                            Function<String, IngressObserver> observers, Map<String, AuthVerifier> authVerifiers,
                            EventPublisher events, ToLongFunction<String> pendingRecipientsOfAuthUser,
                            RecipientSuppression suppression, MessageSink feedback, UnsubscribeHeaders unsubscribe) {
            this(settings, group, serverChannelClass, journal, messageIds, pendingRecipients, journalFreeBytes,
                    observers, authVerifiers, events, pendingRecipientsOfAuthUser, suppression, feedback,
                    unsubscribe, null);
        }

        /** Without one-click unsubscribe headers. */
        public Dependencies(SettingsHolder settings, EventLoopGroup group,
                            Class<? extends ServerChannel> serverChannelClass, JournalWriter journal,
                            LongSupplier messageIds, LongSupplier pendingRecipients, LongSupplier journalFreeBytes,
                            Function<String, IngressObserver> observers, Map<String, AuthVerifier> authVerifiers,
                            EventPublisher events, ToLongFunction<String> pendingRecipientsOfAuthUser,
                            RecipientSuppression suppression, MessageSink feedback) {
            this(settings, group, serverChannelClass, journal, messageIds, pendingRecipients, journalFreeBytes,
                    observers, authVerifiers, events, pendingRecipientsOfAuthUser, suppression, feedback,
                    UnsubscribeHeaders.NONE, null);
        }

        /** Without a feedback intake (a {@code role: feedback} listener cannot start). */
        public Dependencies(SettingsHolder settings, EventLoopGroup group,
                            Class<? extends ServerChannel> serverChannelClass, JournalWriter journal,
                            LongSupplier messageIds, LongSupplier pendingRecipients, LongSupplier journalFreeBytes,
                            Function<String, IngressObserver> observers, Map<String, AuthVerifier> authVerifiers,
                            EventPublisher events, ToLongFunction<String> pendingRecipientsOfAuthUser,
                            RecipientSuppression suppression) {
            this(settings, group, serverChannelClass, journal, messageIds, pendingRecipients, journalFreeBytes,
                    observers, authVerifiers, events, pendingRecipientsOfAuthUser, suppression, null);
        }

        /** Without a suppression list (nothing is refused at RCPT for it). */
        public Dependencies(SettingsHolder settings, EventLoopGroup group,
                            Class<? extends ServerChannel> serverChannelClass, JournalWriter journal, LongSupplier messageIds, LongSupplier pendingRecipients,
                            LongSupplier journalFreeBytes, Function<String, IngressObserver> observers,
                            Map<String, AuthVerifier> authVerifiers, EventPublisher events,
                            ToLongFunction<String> pendingRecipientsOfAuthUser) {
            this(settings, group, serverChannelClass, journal, messageIds, pendingRecipients, journalFreeBytes,
                    observers, authVerifiers, events, pendingRecipientsOfAuthUser, RecipientSuppression.NONE);
        }
    }

    private final Dependencies deps;
    private final SessionRegistry sessions = new SessionRegistry();
    private final InflightBudget budget;
    private final BackPressure backPressure;
    private final ConnectionLimiter limiter;
    private final Quotas quotas;
    private final List<Channel> serverChannels = new ArrayList<>();
    /** Each TLS listener's context by name; a reload replaces the values (never the keys). */
    private final Map<String, AtomicReference<SslContext>> tlsContexts = new HashMap<>();
    private volatile boolean shuttingDown;

    public SmtpServer(Dependencies deps) {
        this.deps = deps;
        Settings settings = deps.settings().current();
        this.budget = new InflightBudget(settings.smtp().maxInflightDataBytes());
        this.backPressure = new BackPressure(deps.pendingRecipients(), deps.journalFreeBytes(), budget::used);
        this.quotas = new Quotas(deps.pendingRecipientsOfAuthUser());
        this.limiter = new ConnectionLimiter(() -> deps.settings().current().smtp().maxConnections(),
                () -> deps.settings().current().smtp().maxConnectionsPerIp(),
                () -> deps.settings().current().smtp().evictStalledAfter().toNanos(), sessions);
    }

    /** Binds every listener; on failure closes what was bound and throws naming the listener. */
    public synchronized void start() throws Exception {
        for (ListenerSettings listener : deps.settings().current().listeners()) {
            ListenerContext context = context(listener);
            try {
                Channel channel = bootstrap(context).bind(listener.address(), listener.port()).sync().channel();
                serverChannels.add(channel);
                LOG.info("listener {} on {}:{} (tls {})", listener.name(), listener.address(),
                        ((InetSocketAddress) channel.localAddress()).getPort(), listener.tls());
            } catch (Exception e) {
                stopAccepting();
                throw new IllegalStateException("listener " + listener.name() + ": cannot bind " + listener.address()
                        + ":" + listener.port() + ": " + e.getMessage(), e);
            }
        }
    }

    private ListenerContext context(ListenerSettings listener) throws Exception {
        AtomicReference<SslContext> ssl = new AtomicReference<>(ListenerTls.context(listener));
        tlsContexts.put(listener.name(), ssl);
        MessageSink sink = deps.journal();
        if (listener.role() == ListenerSettings.Role.FEEDBACK) {
            sink = deps.feedback();
            if (sink == null) {
                throw new IllegalStateException("listener " + listener.name() + " has role feedback, but the daemon"
                        + " was built without a feedback intake");
            }
        }
        return new ListenerContext(listener.name(), deps.settings(), listener, ssl, sink,
                deps.messageIds(), deps.observers().apply(listener.name()), budget, backPressure,
                listener.auth().enabled() ? deps.authVerifiers().get(listener.name()) : null, sessions,
                deps.events(), () -> shuttingDown, quotas, deps.suppression(),
                listener.role() == ListenerSettings.Role.FEEDBACK ? UnsubscribeHeaders.NONE : deps.unsubscribe(),
                listener.role() == ListenerSettings.Role.FEEDBACK ? null : deps.dkim());
    }

    /**
     * Reload, phase one: reads every TLS listener's certificate and key again from {@code next} (a renewed
     * certificate at the same path counts) and returns the step that installs them, so a bad file fails the
     * reload before anything changes. The installed contexts serve new sessions and new STARTTLS; sessions already
     * in TLS keep theirs. Listeners are matched by name; {@code next} must have the same listeners and TLS modes
     * (a change there needs a restart).
     *
     * @throws IllegalArgumentException naming the key ({@code listeners[i].tls_cert}) when a certificate or key
     *                                  cannot be used
     */
    public synchronized Runnable prepareTlsReload(Settings next) {
        Map<AtomicReference<SslContext>, SslContext> fresh = new HashMap<>();
        for (int i = 0; i < next.listeners().size(); i++) {
            ListenerSettings listener = next.listeners().get(i);
            AtomicReference<SslContext> ref = tlsContexts.get(listener.name());
            if (ref == null || listener.tls() == ListenerSettings.TlsMode.NONE) {
                continue;
            }
            try {
                fresh.put(ref, ListenerTls.context(listener));
            } catch (Exception e) {
                throw new IllegalArgumentException(ListenerTls.describe(i, listener, e), e);
            }
        }
        return () -> fresh.forEach(AtomicReference::set);
    }

    private ServerBootstrap bootstrap(ListenerContext context) {
        return new ServerBootstrap()
                .group(deps.group())
                .channel(deps.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childAttr(LISTENER, context)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int maxCommandLine = deps.settings().current().smtp().maxCommandLineOctets();
                        int maxBuffered = deps.settings().current().smtp().maxPipelinedBytes();
                        ReadGate gate = new ReadGate(ch);
                        SmtpServerDecoder decoder = new SmtpServerDecoder(maxCommandLine, maxBuffered, gate);
                        SmtpSession session = new SmtpSession(context);
                        session.bind(decoder, gate);
                        if (context.initialSettings().tls() == ListenerSettings.TlsMode.IMPLICIT) {
                            ch.pipeline().addLast("tls", context.sslContext().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("limiter", limiter).addLast("decoder", decoder).addLast("session", session);
                    }
                });
    }

    /** The bound port of the named listener (useful when configured as port 0 in tests), or -1. */
    public synchronized int boundPort(int listenerIndex) {
        if (listenerIndex >= serverChannels.size()) {
            return -1;
        }
        return ((InetSocketAddress) serverChannels.get(listenerIndex).localAddress()).getPort();
    }

    public synchronized boolean isListening() {
        return !serverChannels.isEmpty() && serverChannels.stream().allMatch(Channel::isActive);
    }

    /** Closes the listening sockets: new connections are refused by the kernel from now on. */
    public synchronized void stopAccepting() {
        shuttingDown = true;
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        serverChannels.clear();
    }

    /**
     * Tells every session to end: 421 now for idle ones; sessions in DATA get {@code dataGrace} to finish, then are
     * closed too. Messages already handed to the journal are answered by the journal callback, which the caller must
     * keep running until this returns. Returns when no session is left or {@code limit} passed.
     */
    public void drainSessions(Duration dataGrace, Duration limit) throws InterruptedException {
        shuttingDown = true;
        for (SmtpSession session : sessions.snapshot()) {
            session.eventLoop().execute(session::shutdown);
        }
        long start = System.nanoTime();
        boolean forced = false;
        while (sessions.size() > 0 && System.nanoTime() - start < limit.toNanos()) {
            if (!forced && System.nanoTime() - start >= dataGrace.toNanos()) {
                forced = true;
                for (SmtpSession session : sessions.snapshot()) {
                    session.eventLoop().execute(session::forceClose);
                }
            }
            Thread.sleep(20);
        }
    }

    /** Open connections (for status and tests). */
    public int openConnections() {
        return limiter.open();
    }

    /** Message text held in memory now. */
    public long inflightBytes() {
        return budget.used();
    }
}
