package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sluice.config.ListenerSettings;
import io.sluice.config.Settings;
import io.sluice.config.SmtpSettings;
import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.codec.DataResult;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import io.sluice.smtp.codec.SmtpVerb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One inbound SMTP session: the Netty handler and RFC 5321 command state machine. It owns the connection facts (client
 * address, HELO name, state), routes each command to the part that owns its concern, and answers or refuses the
 * rest itself; the parts are {@link MailTransaction} (MAIL, RCPT, relay policy, back-pressure), {@link DataHandOff}
 * (DATA, the in-flight budget, the journal hand-off and the 250), {@link SessionSecurity} (STARTTLS, AUTH) and
 * {@link SessionTimeout}. Shutdown reaches it through {@link #shutdown} and {@link #forceClose}.
 *
 * <p>Input: {@link CommandLine} and {@link DataResult} frames from {@link SmtpServerDecoder}. Output: replies, and
 * accepted messages offered to the journal writer. The {@code 250 ... queued as} reply is written only when the
 * journal calls back that the message is durable (docs/architecture.md "Durability"); until then the decoder is paused,
 * so pipelined commands wait and are answered in order.
 *
 * <p>Trust: everything from the client is hostile; every refusal is a precise reply with an enhanced status code
 * and changes nothing; {@code smtp.max_errors} protocol errors end the session with 421. Relaying needs AUTH or a
 * client address in the listener's {@code relay_networks}.
 *
 * <p>Threading: the channel's event loop only, for this class and its parts, except the journal's completion of
 * {@link DataHandOff}, which only hands over to the event loop. The settings snapshot is taken once per session.
 * The parts are created once per session and called directly, so routing a command to one allocates nothing; the
 * decoder's {@link CommandLine} is a flyweight, valid only during the call.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    enum State { CONNECTED, GREETED, MAIL, RCPT, DATA, QUEUEING, AUTH, CLOSED }

    private final ListenerContext listener;
    private final ListenerSettings listenerSettings;
    private final SmtpSettings limits;
    private final MailTransaction transaction;
    private final DataHandOff dataHandOff;
    private final SessionSecurity security;
    private final SessionTimeout timeout;

    private ChannelHandlerContext ctx;
    private SmtpServerDecoder decoder;
    private ReadGate gate;
    private State state = State.CONNECTED;
    private String clientIp = "";
    /** The client address is in the listener's {@code relay_networks}. */
    private boolean relayByNetwork;
    /** The client greeted with EHLO (not HELO); reset by STARTTLS. */
    private boolean esmtp;
    private String heloName;
    /** Protocol errors so far, against {@code smtp.max_errors}. */
    private int errors;
    /** A final reply is on its way and the channel closes after it: ignore anything else the client sends. */
    private boolean closingAfterReply;

    SmtpSession(ListenerContext listener) {
        this.listener = listener;
        Settings settings = listener.settings().current();
        ListenerSettings current = settings.listener(listener.name());
        this.listenerSettings = current != null ? current : listener.initialSettings();
        this.limits = settings.smtp();
        this.transaction = new MailTransaction(this, listener, settings);
        this.dataHandOff = new DataHandOff(this, transaction, listener, limits);
        this.security = new SessionSecurity(this, listener, listenerSettings);
        this.timeout = new SessionTimeout(this, limits);
    }

    void bind(SmtpServerDecoder decoder, ReadGate gate) {
        this.decoder = decoder;
        this.gate = gate;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientIp = remote.getAddress().getHostAddress();
        relayByNetwork = listenerSettings.relayNetworks().contains(remote.getAddress());
        timeout.start();
        listener.sessions().add(this);
        if (listenerSettings.tls() != ListenerSettings.TlsMode.IMPLICIT) {
            greet();
        }
        super.channelActive(ctx);
    }

    private void greet() {
        if (listener.isShuttingDown()) {
            closeWith(SmtpReplies.SHUTTING_DOWN, Rejection.SHUTTING_DOWN);
            return;
        }
        ctx.writeAndFlush(SmtpReplies.text("220 " + limits.hostname() + " ESMTP Sluice"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        state = State.CLOSED;
        timeout.cancel();
        listener.sessions().remove(this);
        dataHandOff.channelClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent) {
            if (((SslHandshakeCompletionEvent) evt).isSuccess()) {
                security.tlsEstablished();
                if (listenerSettings.tls() == ListenerSettings.TlsMode.IMPLICIT) {
                    greet();
                }
            } else {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            gate.open(ReadGate.UNWRITABLE);
        } else {
            gate.close(ReadGate.UNWRITABLE);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        timeout.heard();
        if (state == State.DATA) {
            dataHandOff.accountGrowth();
        }
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CLOSED || closingAfterReply) {
            return;
        }
        if (msg instanceof CommandLine) {
            CommandLine line = (CommandLine) msg;
            timeout.commandCompleted();
            if (state == State.AUTH) {
                security.onAuthResponse(line);
            } else {
                onCommand(line);
            }
        } else if (msg instanceof DataResult) {
            dataHandOff.onDataEnd((DataResult) msg);
        }
    }

    private void onCommand(CommandLine line) {
        switch (line.status()) {
            case TOO_LONG:
                error(SmtpReplies.LINE_TOO_LONG, Rejection.LINE_TOO_LONG);
                return;
            case BARE_LINE_ENDING:
                error(SmtpReplies.BARE_LINE_ENDING, Rejection.BARE_LINE_ENDING);
                return;
            case NUL:
                error(SmtpReplies.NUL, Rejection.NUL);
                return;
            default:
                break;
        }
        switch (line.verb()) {
            case EHLO:
            case HELO:
                hello(line);
                break;
            case MAIL:
                transaction.mail(line);
                break;
            case RCPT:
                transaction.rcpt(line);
                break;
            case DATA:
                dataHandOff.data(line);
                break;
            case RSET:
                if (line.argumentLength() > 0) {
                    error(SmtpReplies.NO_ARGUMENT, Rejection.BAD_SYNTAX);
                    return;
                }
                resetTransaction();
                reply(SmtpReplies.OK);
                break;
            case NOOP:
                reply(SmtpReplies.OK);
                break;
            case QUIT:
                ctx.writeAndFlush(SmtpReplies.BYE.duplicate()).addListener(ChannelFutureListener.CLOSE);
                closingAfterReply = true;
                decoder.pause();
                break;
            case VRFY:
                reply(SmtpReplies.VRFY);
                break;
            case HELP:
                reply(SmtpReplies.help(security.startTlsOffered(), security.authOffered()));
                break;
            case STARTTLS:
                security.startTls(line);
                break;
            case AUTH:
                security.auth(line);
                break;
            case EXPN:
            case BDAT:
            case ETRN:
            case TURN:
                error(SmtpReplies.NOT_IMPLEMENTED, Rejection.UNKNOWN_COMMAND);
                break;
            default:
                error(SmtpReplies.UNKNOWN, Rejection.UNKNOWN_COMMAND);
                break;
        }
    }

    private void hello(CommandLine line) {
        if (line.argumentLength() == 0) {
            error(SmtpReplies.HELO_SYNTAX, Rejection.BAD_SYNTAX);
            return;
        }
        resetTransaction();
        heloName = line.argument(StandardCharsets.ISO_8859_1);
        esmtp = line.verb() == SmtpVerb.EHLO;
        state = State.GREETED;
        if (!esmtp) {
            reply(SmtpReplies.text("250 " + limits.hostname()));
            return;
        }
        reply(SmtpReplies.text(EhloReply.text(limits.hostname(), limits.maxMessageBytes(),
                security.startTlsOffered(), security.authOffered())));
    }

    /** Ends the mail transaction (RFC 5321 4.1.1.5): the envelope is forgotten, a greeted session stays greeted. */
    void resetTransaction() {
        transaction.clear();
        if (state != State.CONNECTED && state != State.CLOSED) {
            state = State.GREETED;
        }
    }

    /** After STARTTLS (RFC 3207 4.2): back to before the greeting; the AUTH identity is {@link SessionSecurity}'s. */
    void forgetClient() {
        resetTransaction();
        state = State.CONNECTED;
        heloName = null;
        esmtp = false;
    }

    /** Relaying is allowed: the client authenticated, or its address is in {@code relay_networks}. */
    boolean mayRelay() {
        return security.authIdentity() != null || relayByNetwork;
    }

    void reply(ByteBuf reply) {
        ctx.write(reply.isReadOnly() ? reply.duplicate() : reply);
    }

    /** A refused command: reply, count it, and end the session when the client keeps erring. */
    void error(ByteBuf reply, Rejection reason) {
        listener.observer().rejected(reason);
        if (++errors >= limits.maxErrors()) {
            if (!reply.isReadOnly()) {
                reply.release();
            }
            closeWith(SmtpReplies.TOO_MANY_ERRORS, Rejection.TOO_MANY_ERRORS);
            return;
        }
        reply(reply);
    }

    /** Writes a final reply and closes; used for 421s. */
    void closeWith(ByteBuf reply, Rejection reason) {
        if (reason != null) {
            listener.observer().rejected(reason);
        }
        closingAfterReply = true;
        if (decoder != null) {
            decoder.pause();
        }
        ctx.writeAndFlush(reply.isReadOnly() ? reply.duplicate() : reply).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Shutdown (event loop): a session between transactions is told 421 at once; one receiving DATA or waiting for
     * the journal finishes that message first ({@link DataHandOff} then says 421).
     */
    void shutdown() {
        if (state == State.CLOSED || closingAfterReply) {
            return;
        }
        if (state == State.DATA || state == State.QUEUEING) {
            return;
        }
        closeWith(SmtpReplies.SHUTTING_DOWN, null);
    }

    /** Shutdown deadline passed (event loop): close even a session still in DATA. */
    void forceClose() {
        if (state == State.QUEUEING) {
            return;
        }
        if (state != State.CLOSED && !closingAfterReply) {
            closeWith(SmtpReplies.SHUTTING_DOWN, null);
        }
    }

    /** A new connection at {@code max_connections} took this stalled session's slot (event loop): 421, close. */
    void evictStalled() {
        // Already ending frees the slot anyway; a message with the journal keeps it (the cap is one over till then).
        if (state == State.QUEUEING) {
            timeout.releaseEviction(); // waiting for us, not stalled: it may be chosen later if it really stalls
            return;
        }
        if (state == State.CLOSED || closingAfterReply) {
            return;
        }
        closeWith(SmtpReplies.STALLED_EVICTED, Rejection.STALLED_EVICTED);
    }

    boolean isBusy() {
        return state == State.DATA || state == State.QUEUEING;
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    // Accessors for the session's parts (event loop only).

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    /** A final reply is on its way; nothing else may be written or resumed. */
    boolean isClosing() {
        return closingAfterReply;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    SmtpServerDecoder decoder() {
        return decoder;
    }

    ReadGate gate() {
        return gate;
    }

    SessionTimeout timeout() {
        return timeout;
    }

    String clientIp() {
        return clientIp;
    }

    InetAddress clientAddress() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    String heloName() {
        return heloName;
    }

    boolean isEsmtp() {
        return esmtp;
    }

    boolean tlsActive() {
        return security.tlsActive();
    }

    String authIdentity() {
        return security.authIdentity();
    }
}
