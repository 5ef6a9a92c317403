package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The last handler of an outbound connection's pipeline ({@code [tls] -> replies -> dot-stuffing -> this}): hands
 * each {@link SmtpReply} to the installed {@link Exchange}, runs the one stage timer, and turns every kind of
 * trouble (timeout, I/O error, malformed reply, close, unsolicited reply) into exactly one
 * {@link Exchange#onBroken} call, after which the connection is broken for good (never reused).
 *
 * <p>Timers (RFC 5321 4.5.3.2): {@link #expect} arms one per awaited reply with the stage's timeout; while message
 * text is being written, {@link #expectWriteProgress} checks every {@code data_block_timeout} that the bytes
 * pending in the channel (TLS included) went down, so a stall is detected within one to two such periods.
 *
 * <p>Threading: event loop only, except {@link #isBroken()} (volatile, any thread).
 */
final class SmtpClientHandler extends ChannelInboundHandlerAdapter {
    private final SmtpReplyDecoder decoder;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private Stage stage = Stage.CONNECT;
    private ScheduledFuture<?> timer;
    private long lastPendingBytes;
    private volatile boolean broken;

    SmtpClientHandler(SmtpReplyDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Installs {@code next} and starts it now if the channel is active, else when it becomes active. */
    void install(Exchange next) {
        if (exchange != null) {
            throw new IllegalStateException("connection busy in " + stage);
        }
        exchange = next;
        if (ctx.channel().isActive()) {
            next.start();
        }
    }

    /** The current exchange is done; the connection waits for the next one. */
    void idle() {
        cancelTimer();
        exchange = null;
        stage = Stage.IDLE;
    }

    boolean isBusy() {
        return exchange != null;
    }

    boolean isBroken() {
        return broken;
    }

    Stage stage() {
        return stage;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /** Bytes read but not yet framed into replies. */
    int bufferedReplyBytes() {
        return decoder.bufferedBytes();
    }

    /** Waits for the next reply in {@code stage}, at most {@code timeout}. */
    void expect(Stage next, Duration timeout) {
        cancelTimer();
        stage = next;
        timer = ctx.executor().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Watches the text about to be written: fails with TIMEOUT when no byte leaves for a whole {@code period}.
     * Armed before the write, because a small text may be written (and the next stage armed) within the write call.
     */
    void expectWriteProgress(Duration period) {
        cancelTimer();
        stage = Stage.TEXT;
        lastPendingBytes = Long.MAX_VALUE;
        scheduleProgressCheck(period.toNanos());
    }

    private void scheduleProgressCheck(long periodNanos) {
        timer = ctx.executor().schedule(() -> {
            long pending = pendingWriteBytes();
            if (pending < lastPendingBytes) {
                lastPendingBytes = pending;
                scheduleProgressCheck(periodNanos);
            } else {
                fail(FailureKind.TIMEOUT, "no write progress while sending the message text", null);
            }
        }, periodNanos, TimeUnit.NANOSECONDS);
    }

    private long pendingWriteBytes() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Writes and flushes {@code msg}; a failed write breaks the connection. */
    ChannelFuture writeAndFlush(Object msg) {
        return ctx.writeAndFlush(msg).addListener(writeFailureListener);
    }

    private final ChannelFutureListener writeFailureListener = f -> {
        if (!f.isSuccess()) {
            fail(FailureKind.CONNECTION_LOST, "write failed: " + f.cause(), f.cause());
        }
    };

    /** Breaks the connection and tells the installed exchange, once. */
    void fail(FailureKind kind, String detail, Throwable cause) {
        if (broken) {
            return;
        }
        broken = true;
        cancelTimer();
        Exchange e = exchange;
        exchange = null;
        ctx.close();
        if (e != null) {
            e.onBroken(kind, stage, detail, cause);
        }
    }

    /** Ends the connection without a failure report: optionally sends {@code quit} first (not waiting for 221). */
    void close(ByteBuf quit) {
        broken = true;
        cancelTimer();
        exchange = null;
        if (quit != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(quit).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (quit != null) {
                quit.release();
            }
            ctx.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.start();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SmtpReply reply)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (broken) {
            return;
        }
        cancelTimer();
        if (exchange == null) {
            fail(reply.code() == 421 ? FailureKind.CONNECTION_LOST : FailureKind.PROTOCOL_ERROR,
                    "unsolicited reply: " + reply, null);
            return;
        }
        exchange.onReply(reply);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake && exchange != null && !broken) {
            exchange.onTlsHandshake(handshake);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean malformed = cause instanceof DecoderException && !(cause.getCause() instanceof SSLException);
        fail(malformed ? FailureKind.PROTOCOL_ERROR : FailureKind.CONNECTION_LOST, cause.toString(), cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(FailureKind.CONNECTION_LOST, "connection closed", null);
        ctx.fireChannelInactive();
    }

    private void timedOut() {
        timer = null;
        fail(FailureKind.TIMEOUT, "no reply in " + stage, null);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
