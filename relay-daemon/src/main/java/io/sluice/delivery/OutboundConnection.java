package io.sluice.delivery;

import io.sluice.events.TlsSession;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.sluice.config.DeliverySettings;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * An open SMTP session with one MX host, ready for mail transactions; made by {@link OutboundConnector#connect}.
 *
 * <p>Use: {@link #send} one message at a time (the previous future must have completed, else the future fails with
 * {@link IllegalStateException}); between messages optionally {@link #reset} (RSET also proves the connection is
 * alive before reuse); at the end {@link #quit}, or {@link #abort}. The pool decides reuse from
 * {@link #isUsable()}, {@link #deliveries()} ({@code max_deliveries_per_connection}) and its own clock's stamp of
 * when it got the connection ({@code connection_max_age}); this class enforces none of those limits.
 *
 * <p>Never reused when broken: after any timeout, I/O error, protocol error, 421, failed RSET or QUIT,
 * {@link #isUsable()} is false for good. {@code send} on such a connection sends nothing and completes with
 * {@link FailureKind#CONNECTION_LOST} for every recipient (temporary), so a connection the server closed while
 * idle costs a retry on another connection, never a message.
 *
 * <p>Threading: methods may be called from any thread; the work runs on the channel's event loop and every future
 * completes there, so continuations must not block. Accessors read volatile fields.
 */
public final class OutboundConnection {
    private final Channel channel;
    private final SmtpClientHandler handler;
    private final DeliverySettings settings;
    private final String mxHostName;
    private final InetSocketAddress remoteAddress;
    private volatile long createdAtNanos;
    private volatile SmtpReply greeting;
    private volatile EhloCapabilities capabilities = EhloCapabilities.helo();
    private volatile boolean tlsActive;
    private volatile boolean tlsPeerVerified;
    private volatile TlsSession tlsSession = TlsSession.NONE;
    private volatile int deliveries;

    OutboundConnection(Channel channel, SmtpClientHandler handler, DeliverySettings settings, String mxHostName,
                       InetSocketAddress remoteAddress) {
        this.channel = channel;
        this.handler = handler;
        this.settings = settings;
        this.mxHostName = mxHostName;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Runs one mail transaction (see {@link MailTransaction}). Throws {@link IllegalArgumentException} when the
     * message has more recipients than {@code max_recipients_per_transaction}: the caller splits.
     */
    public CompletableFuture<TransactionResult> send(OutboundMessage message) {
        if (message.recipients().size() > settings.maxRecipientsPerMessage()) {
            throw new IllegalArgumentException(message.recipients().size() + " recipients, at most "
                    + settings.maxRecipientsPerMessage() + " per transaction");
        }
        CompletableFuture<TransactionResult> result = new CompletableFuture<>();
        onLoop(result, () -> {
            if (handler.isBroken()) {
                result.complete(TransactionResult.of(message.recipients(), null,
                        new SmtpReply[message.recipients().size()], null, FailureKind.CONNECTION_LOST,
                        SmtpReply.local(451, "4.4.2", "connection to " + mxHostName + " is not usable"), false));
            } else if (handler.isBusy()) {
                result.completeExceptionally(new IllegalStateException("connection busy in " + handler.stage()));
            } else {
                handler.install(new MailTransaction(this, handler, settings, message, result));
            }
        });
        return result;
    }

    /**
     * RSET: completes with the reply (a non-2xx one leaves the connection unusable), or exceptionally with an
     * {@link OutboundException} when the connection broke or was already broken.
     */
    public CompletableFuture<SmtpReply> reset() {
        CompletableFuture<SmtpReply> result = new CompletableFuture<>();
        onLoop(result, () -> {
            if (handler.isBroken()) {
                result.completeExceptionally(new OutboundException(FailureKind.CONNECTION_LOST, Stage.RSET, null,
                        "connection to " + mxHostName + " is not usable", null));
            } else if (handler.isBusy()) {
                result.completeExceptionally(new IllegalStateException("connection busy in " + handler.stage()));
            } else {
                handler.install(SingleCommand.rset(handler, settings, result));
            }
        });
        return result;
    }

    /**
     * QUIT, wait for the reply ({@code command_timeout}), close. Completes when the channel is closed, never
     * exceptionally. On a busy connection this aborts the exchange in progress.
     */
    public CompletableFuture<Void> quit() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
        onLoop(reply, () -> {
            if (handler.isBroken() || handler.isBusy()) {
                handler.fail(FailureKind.CONNECTION_LOST, "aborted by QUIT", null);
                channel.close();
            } else {
                handler.install(SingleCommand.quit(handler, settings, reply));
            }
        });
        reply.whenComplete((r, e) -> channel.close());
        return closed;
    }

    /** Closes now, without QUIT; an exchange in progress fails with CONNECTION_LOST. */
    public void abort() {
        channel.eventLoop().execute(() -> {
            handler.fail(FailureKind.CONNECTION_LOST, "aborted", null);
            channel.close();
        });
    }

    /** Completes when the channel is closed (by either side), never exceptionally. */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    /** False once anything went wrong (or the peer closed): never reuse such a connection. */
    public boolean isUsable() {
        return !handler.isBroken() && channel.isActive();
    }

    /** Mail transactions started on this connection (MAIL sent). */
    public int deliveries() {
        return deliveries;
    }

    /** {@link System#nanoTime()} when the TCP connection was established. */
    public long createdAtNanos() {
        return createdAtNanos;
    }

    /**
     * What the next hop advertised in its last EHLO (the one inside TLS, if any); {@link EhloCapabilities#helo()}
     * after a HELO fallback.
     */
    public EhloCapabilities capabilities() {
        return capabilities;
    }

    /** The 220 greeting. */
    public SmtpReply greeting() {
        return greeting;
    }

    /** STARTTLS succeeded: everything after the greeting's EHLO is encrypted. */
    public boolean tlsActive() {
        return tlsActive;
    }

    /**
     * TLS is active, the peer's chain validated against the trust store and its certificate names the MX host
     * ({@link OpportunisticTls}).
     */
    public boolean tlsPeerVerified() {
        return tlsPeerVerified;
    }

    /** How this session is protected (for events and metrics): {@link TlsSession#NONE} until STARTTLS succeeded. */
    public TlsSession tlsSession() {
        return tlsSession;
    }

    public String mxHostName() {
        return mxHostName;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Our end of the connection (the bind address when one is configured). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public String toString() {
        return "OutboundConnection[" + describePeer() + (tlsActive ? ", TLS" : "") + ", deliveries " + deliveries
                + (isUsable() ? "" : ", broken") + "]";
    }

    // Called by the exchanges on the event loop.

    void connected() {
        createdAtNanos = System.nanoTime();
    }

    void greeting(SmtpReply reply) {
        greeting = reply;
    }

    void tlsStarted(boolean peerVerified, String protocol, String cipher) {
        tlsSession = new TlsSession(protocol, cipher, peerVerified);
        tlsActive = true;
        tlsPeerVerified = peerVerified;
    }

    void opened(EhloCapabilities caps) {
        capabilities = caps;
    }

    void countTransaction() {
        deliveries++;
    }

    String describePeer() {
        return mxHostName + "[" + remoteAddress.getAddress().getHostAddress() + "]:" + remoteAddress.getPort();
    }

    private void onLoop(CompletableFuture<?> result, Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
    }
}
