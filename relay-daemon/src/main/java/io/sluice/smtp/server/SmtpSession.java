package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.config.ListenerSettings;
import io.sluice.config.Settings;
import io.sluice.config.SmtpSettings;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.codec.DataResult;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One inbound SMTP session: the RFC 5321 command state machine, relay policy, limits, STARTTLS, AUTH, DATA
 * hand-off to the journal, timeouts and shutdown.
 *
 * <p>Input: {@link CommandLine} and {@link DataResult} frames from {@link SmtpServerDecoder}. Output: replies, and
 * accepted messages offered to the journal writer. The {@code 250 ... queued as} reply is written only when the
 * journal calls back that the message is durable (DESIGN.md "Durability"); until then the decoder is paused, so
 * pipelined commands wait and are answered in order.
 *
 * <p>Trust: everything from the client is hostile; every refusal is a precise reply with an enhanced status code
 * and changes nothing; {@code smtp.max_errors} protocol errors end the session with 421. Relaying needs AUTH or a
 * client address in the listener's {@code relay_networks}.
 *
 * <p>Threading: the channel's event loop only, except {@link #appended}/{@link #failed}, which run on the journal
 * writer thread and only hand over to the event loop. The settings snapshot is taken once per session.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter implements AppendCallback {

    enum State { CONNECTED, GREETED, MAIL, RCPT, DATA, QUEUEING, AUTH, CLOSED }

    private static final long TIMEOUT_CHECK_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ListenerContext listener;
    private final Settings settings;
    private final ListenerSettings listenerSettings;
    private final SmtpSettings limits;
    private final SubmissionHygiene hygiene;
    private final Runnable appendedOnLoop = this::completeQueued;
    private final Runnable budgetOnLoop = this::budgetAvailable;

    private ChannelHandlerContext ctx;
    private SmtpServerDecoder decoder;
    private ReadGate gate;
    private State state = State.CONNECTED;
    private String clientIp = "";
    private boolean relayByNetwork;
    private boolean tlsActive;
    private boolean esmtp;
    private String heloName;
    private String authIdentity;
    private AuthExchange authExchange;
    private int errors;
    private boolean closingAfterReply;

    private String sender;
    private boolean smtpUtf8;
    private final List<String> recipients = new ArrayList<>();
    private final MessageText text;
    private long dataEndNanos;
    private AcceptedMessage queued;
    private volatile Throwable appendFailure;

    private long lastActivityNanos;
    private ScheduledFuture<?> timeoutCheck;

    SmtpSession(ListenerContext listener) {
        this.listener = listener;
        this.settings = listener.settings().current();
        ListenerSettings current = settings.listener(listener.name());
        this.listenerSettings = current != null ? current : listener.initialSettings();
        this.limits = settings.smtp();
        this.hygiene = new SubmissionHygiene(limits.hostname(), limits.hopLimit());
        this.text = new MessageText(listener.budget());
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
        lastActivityNanos = System.nanoTime();
        scheduleTimeoutCheck(Math.min(limits.commandTimeout().toNanos(), limits.dataTimeout().toNanos()));
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
        if (timeoutCheck != null) {
            timeoutCheck.cancel(false);
        }
        listener.sessions().remove(this);
        if (queued == null) {
            text.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent) {
            if (((SslHandshakeCompletionEvent) evt).isSuccess()) {
                tlsActive = true;
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
        lastActivityNanos = System.nanoTime();
        if (state == State.DATA) {
            text.accountGrowth();
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
            if (state == State.AUTH) {
                authExchange.onResponse(line);
            } else {
                onCommand(line);
            }
        } else if (msg instanceof DataResult) {
            onDataEnd((DataResult) msg);
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
                mail(line);
                break;
            case RCPT:
                rcpt(line);
                break;
            case DATA:
                data(line);
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
                reply(SmtpReplies.HELP);
                break;
            case STARTTLS:
                startTls(line);
                break;
            case AUTH:
                auth(line);
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
        esmtp = line.verb() == io.sluice.smtp.codec.SmtpVerb.EHLO;
        state = State.GREETED;
        if (!esmtp) {
            reply(SmtpReplies.text("250 " + limits.hostname()));
            return;
        }
        reply(SmtpReplies.text(EhloReply.text(limits.hostname(), limits.maxMessageBytes(),
                listenerSettings.tls() == ListenerSettings.TlsMode.STARTTLS && !tlsActive, authOffered())));
    }

    private boolean authOffered() {
        return listenerSettings.auth().enabled() && listener.authVerifier() != null
                && (tlsActive || listenerSettings.auth().allowPlaintext());
    }

    private void mail(CommandLine line) {
        if (state == State.CONNECTED) {
            error(SmtpReplies.NEED_HELO, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state == State.MAIL || state == State.RCPT) {
            error(SmtpReplies.NESTED_MAIL, Rejection.BAD_SEQUENCE);
            return;
        }
        MailPath path = MailPath.parseMailFrom(line.argument(StandardCharsets.UTF_8));
        if (path.error() != null) {
            error(SmtpReplies.text(path.error()), Rejection.BAD_SYNTAX);
            return;
        }
        if (line.argumentHasNonAscii() && !path.smtpUtf8()) {
            error(SmtpReplies.NON_ASCII, Rejection.BAD_SYNTAX);
            return;
        }
        if (path.declaredSize() > limits.maxMessageBytes()) {
            reply(SmtpReplies.SIZE_TOO_BIG);
            listener.observer().rejected(Rejection.MESSAGE_TOO_BIG);
            return;
        }
        if (refusedByBackPressure(1)) {
            return;
        }
        sender = path.address();
        smtpUtf8 = path.smtpUtf8();
        state = State.MAIL;
        long delay = listener.backPressure().softDelayMillis(settings.queue(), limits);
        if (delay > 0) {
            delayReply(SmtpReplies.MAIL_OK, delay);
        } else {
            reply(SmtpReplies.MAIL_OK);
        }
    }

    private boolean refusedByBackPressure(int extraRecipients) {
        BackPressure.Verdict verdict = listener.backPressure().check(settings.queue(), settings.journal(),
                extraRecipients);
        if (verdict == BackPressure.Verdict.ACCEPT) {
            return false;
        }
        reply(SmtpReplies.INSUFFICIENT_STORAGE);
        listener.observer().rejected(verdict == BackPressure.Verdict.DISK_LOW
                ? Rejection.BACK_PRESSURE_DISK : Rejection.BACK_PRESSURE_PENDING);
        return true;
    }

    /** Soft back-pressure: answer later and read nothing meanwhile. */
    private void delayReply(ByteBuf reply, long delayMillis) {
        decoder.pause();
        gate.close(ReadGate.DELAYED);
        ctx.executor().schedule(() -> {
            if (state == State.CLOSED) {
                return;
            }
            gate.open(ReadGate.DELAYED);
            ctx.write(reply.duplicate());
            decoder.resume();
            ctx.flush();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void rcpt(CommandLine line) {
        if (state != State.MAIL && state != State.RCPT) {
            error(SmtpReplies.NEED_MAIL, Rejection.BAD_SEQUENCE);
            return;
        }
        MailPath path = MailPath.parseRcptTo(line.argument(StandardCharsets.UTF_8));
        if (path.error() != null) {
            error(SmtpReplies.text(path.error()), Rejection.BAD_SYNTAX);
            return;
        }
        if (line.argumentHasNonAscii() && !smtpUtf8) {
            error(SmtpReplies.NON_ASCII, Rejection.BAD_SYNTAX);
            return;
        }
        if (recipients.size() >= limits.maxRecipients()) {
            reply(SmtpReplies.TOO_MANY_RECIPIENTS);
            listener.observer().rejected(Rejection.TOO_MANY_RECIPIENTS);
            return;
        }
        if (authIdentity == null && !relayByNetwork) {
            error(SmtpReplies.text("554 5.7.1 <" + path.address() + ">: Relay access denied"), Rejection.RELAY_DENIED);
            return;
        }
        if (refusedByBackPressure(recipients.size() + 1)) {
            return;
        }
        recipients.add(path.address());
        state = State.RCPT;
        reply(SmtpReplies.RCPT_OK);
    }

    private void data(CommandLine line) {
        if (line.argumentLength() > 0) {
            error(SmtpReplies.NO_ARGUMENT, Rejection.BAD_SYNTAX);
            return;
        }
        if (state == State.MAIL) {
            error(SmtpReplies.NO_VALID_RCPT, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state != State.RCPT) {
            error(state == State.CONNECTED ? SmtpReplies.NEED_HELO : SmtpReplies.NEED_MAIL, Rejection.BAD_SEQUENCE);
            return;
        }
        if (!listener.budget().hasRoom()) {
            // Hold the 354 until memory is returned; the client simply waits for our reply.
            decoder.pause();
            gate.close(ReadGate.INFLIGHT_BUDGET);
            listener.budget().await(() -> ctx.executor().execute(budgetOnLoop));
            return;
        }
        beginData();
    }

    private void budgetAvailable() {
        if (state != State.RCPT) {
            return;
        }
        gate.open(ReadGate.INFLIGHT_BUDGET);
        beginData();
        decoder.resume();
        ctx.flush();
    }

    private void beginData() {
        decoder.startData(text.begin(ctx.alloc(), limits.maxMessageBytes()), limits.maxMessageBytes(),
                limits.maxTextLineOctets(),
                limits.bareLf() == SmtpSettings.BareLfPolicy.NORMALIZE);
        state = State.DATA;
        lastActivityNanos = System.nanoTime();
        ctx.writeAndFlush(SmtpReplies.START_DATA.duplicate());
    }

    private void onDataEnd(DataResult result) {
        dataEndNanos = System.nanoTime();
        text.accountGrowth();
        if (result != DataResult.COMPLETE) {
            text.release();
            resetTransaction();
            refuseMessage(SmtpReplies.forDataResult(result), Rejection.forDataResult(result));
            return;
        }
        long id = listener.ids().getAsLong();
        String idText = io.sluice.journal.MessageIds.format(id);
        SubmissionHygiene.Result cleaned = hygiene.apply(text.buffer(), idText,
                new SubmissionHygiene.Origin(heloName, clientIp, protocol(), authIdentity != null || relayByNetwork),
                recipients.size() == 1 ? recipients.get(0) : null, ZonedDateTime.now(), ctx.alloc());
        text.replace(cleaned.text());
        if (cleaned.refusal() != null) {
            text.release();
            resetTransaction();
            refuseMessage(cleaned.refusal(), Rejection.HOP_LIMIT);
            return;
        }
        queued = new AcceptedMessage(id, System.currentTimeMillis(), listener.name(), clientIp, heloName,
                authIdentity, sender, routingTags(cleaned.tags()), List.copyOf(recipients), text.buffer().nioBuffer());
        state = State.QUEUEING;
        decoder.pause();
        if (!listener.journal().offer(queued, this)) {
            queued = null;
            text.release();
            resetTransaction();
            refuseMessage(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
            decoder.resume();
        }
    }

    /** Trusted {@code X-Sluice-*} tags as the journal stores them: {@code name=value} lines. */
    private static String routingTags(java.util.Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        tags.forEach((name, value) -> sb.append(sb.length() > 0 ? "\n" : "").append(name).append('=').append(value));
        return sb.toString();
    }

    private String protocol() {
        String base = esmtp ? "ESMTP" : "SMTP";
        if (!esmtp) {
            return base;
        }
        return base + (tlsActive ? "S" : "") + (authIdentity != null ? "A" : "");
    }

    private void refuseMessage(ByteBuf reply, Rejection reason) {
        reply(reply);
        listener.observer().rejected(reason);
    }

    /** Journal writer thread: the message is durable. */
    @Override
    public void appended(AcceptedMessage message, long bodiesIndex) {
        appendFailure = null;
        ctx.executor().execute(appendedOnLoop);
    }

    /** Journal writer thread: the message could not be made durable. */
    @Override
    public void failed(AcceptedMessage message, Throwable cause) {
        appendFailure = cause;
        ctx.executor().execute(appendedOnLoop);
    }

    private void completeQueued() {
        AcceptedMessage message = queued;
        queued = null;
        long bytes = text.buffer().readableBytes();
        text.release();
        if (state == State.CLOSED) {
            return;
        }
        if (appendFailure != null) {
            refuseMessage(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
        } else {
            String id = io.sluice.journal.MessageIds.format(message.id());
            ctx.write(SmtpReplies.text("250 2.0.0 Ok: queued as " + id));
            listener.observer().messageAccepted(message.recipients().size(), bytes, System.nanoTime() - dataEndNanos);
            listener.events().publish(LifecycleEvent.received(message.receivedAtMillis(), id, listener.name(),
                    clientIp, authIdentity, message.sender(), message.recipients(), bytes));
        }
        resetTransaction();
        if (listener.isShuttingDown()) {
            closeWith(SmtpReplies.SHUTTING_DOWN, null);
            return;
        }
        lastActivityNanos = System.nanoTime();
        decoder.resume();
        ctx.flush();
    }

    private void resetTransaction() {
        sender = null;
        smtpUtf8 = false;
        recipients.clear();
        if (state != State.CONNECTED && state != State.CLOSED) {
            state = State.GREETED;
        }
    }

    private void startTls(CommandLine line) {
        if (listenerSettings.tls() != ListenerSettings.TlsMode.STARTTLS || listener.sslContext() == null) {
            error(SmtpReplies.TLS_UNAVAILABLE, Rejection.UNKNOWN_COMMAND);
            return;
        }
        if (tlsActive) {
            error(SmtpReplies.TLS_ACTIVE, Rejection.BAD_SEQUENCE);
            return;
        }
        if (line.argumentLength() > 0) {
            error(SmtpReplies.NO_ARGUMENT, Rejection.BAD_SYNTAX);
            return;
        }
        // RFC 3207 4.2 and CVE-2011-0411: nothing the client pipelined after STARTTLS may be acted on.
        decoder.discardBuffered();
        // startTls=true: the 220 below still goes out in plain text, everything after it is TLS.
        ctx.pipeline().addFirst("tls", new SslHandler(listener.sslContext().newEngine(ctx.alloc()), true));
        ctx.writeAndFlush(SmtpReplies.READY_TLS.duplicate());
        // RFC 3207 4.2: forget everything learned from the client before TLS.
        resetTransaction();
        state = State.CONNECTED;
        heloName = null;
        esmtp = false;
        authIdentity = null;
    }

    private void auth(CommandLine line) {
        if (!listenerSettings.auth().enabled() || listener.authVerifier() == null) {
            error(SmtpReplies.NOT_IMPLEMENTED, Rejection.UNKNOWN_COMMAND);
            return;
        }
        if (state == State.CONNECTED) {
            error(SmtpReplies.NEED_HELO, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state != State.GREETED) {
            error(SmtpReplies.text("503 5.5.1 Error: MAIL transaction in progress"), Rejection.BAD_SEQUENCE);
            return;
        }
        if (authIdentity != null) {
            error(SmtpReplies.text("503 5.5.1 Error: already authenticated"), Rejection.BAD_SEQUENCE);
            return;
        }
        if (!tlsActive && !listenerSettings.auth().allowPlaintext()) {
            error(SmtpReplies.text("538 5.7.11 Encryption required for requested authentication mechanism"),
                    Rejection.AUTH_FAILED);
            return;
        }
        authExchange = new AuthExchange(this, listener.authVerifier(), clientAddress());
        state = State.AUTH;
        authExchange.start(line.argument(StandardCharsets.US_ASCII));
    }

    java.net.InetAddress clientAddress() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    /** AUTH exchange callbacks (event loop). */
    void authChallenge(String reply) {
        reply(SmtpReplies.text(reply));
    }

    void authAwaitingVerification() {
        decoder.pause();
    }

    void authFinished(String reply, String identity, boolean countsAsError) {
        state = State.GREETED;
        authExchange = null;
        if (identity != null) {
            authIdentity = identity;
        }
        if (countsAsError) {
            error(SmtpReplies.text(reply), Rejection.AUTH_FAILED);
        } else {
            reply(SmtpReplies.text(reply));
        }
        if (decoder.isPaused() && state != State.CLOSED && !closingAfterReply) {
            decoder.resume();
        }
        ctx.flush();
    }

    void authClose(String reply) {
        state = State.GREETED;
        authExchange = null;
        closeWith(SmtpReplies.text(reply), Rejection.AUTH_FAILED);
    }

    private void reply(ByteBuf reply) {
        ctx.write(reply.isReadOnly() ? reply.duplicate() : reply);
    }

    /** A refused command: reply, count it, and end the session when the client keeps erring. */
    private void error(ByteBuf reply, Rejection reason) {
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
    private void closeWith(ByteBuf reply, Rejection reason) {
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
     * the journal finishes that message first ({@link #completeQueued} then says 421).
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

    boolean isBusy() {
        return state == State.DATA || state == State.QUEUEING;
    }

    io.netty.channel.EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    private void scheduleTimeoutCheck(long delayNanos) {
        timeoutCheck = ctx.executor().schedule(this::checkTimeout, Math.max(delayNanos, TIMEOUT_CHECK_FLOOR_NANOS),
                TimeUnit.NANOSECONDS);
    }

    /** RFC 5321 4.5.3.2: a silent client is told 421 and dropped; time spent waiting on us does not count. */
    private void checkTimeout() {
        if (state == State.CLOSED || closingAfterReply) {
            return;
        }
        long limit = (state == State.DATA ? limits.dataTimeout() : limits.commandTimeout()).toNanos();
        long idle = System.nanoTime() - lastActivityNanos;
        boolean waitingOnUs = state == State.QUEUEING || state == State.AUTH && decoder.isPaused()
                || gate.isClosed(ReadGate.DELAYED) || gate.isClosed(ReadGate.INFLIGHT_BUDGET);
        if (idle >= limit && !waitingOnUs) {
            closeWith(SmtpReplies.TIMEOUT, Rejection.TIMEOUT);
            return;
        }
        // The state (and so the limit) can change before the next check: never sleep past the shorter timeout.
        long shortest = Math.min(limits.commandTimeout().toNanos(), limits.dataTimeout().toNanos());
        scheduleTimeoutCheck(Math.min(waitingOnUs ? limit : limit - idle, shortest));
    }
}
