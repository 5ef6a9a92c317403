package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One SMTP client connection: greeting, EHLO, then up to {@code perConnection} transactions (MAIL, RCPT..., DATA,
 * message, ".") and QUIT. With pipelining (asked for and offered in EHLO) the envelope goes out in one write and
 * its replies are read afterwards; otherwise each command waits for the previous reply. Both paths share the same
 * reply accounting: reply 0 answers MAIL, 1..R the RCPTs, R+1 the DATA.
 *
 * <p>Outcome of a message: accepted when MAIL and at least one RCPT get 2xx, DATA gets 354 and the final dot gets
 * 250; otherwise it is rejected under the first failing code (a failed envelope is followed by RSET). A message
 * whose connection drops before its final reply is "lost to connection". Latency: from the completed write of the
 * final ".CRLF" (the body's write promise) to the 250; in open loop the main figure is from the intended start.
 *
 * <p>Threading: one instance per channel, touched only on that channel's event loop; counters go to the loop's
 * {@link LoopStats}. Per message it allocates a pooled header copy, one write promise and, in open loop, one
 * scheduled task. A 421 or a protocol error closes the connection; {@link ConnectionSlot} decides about
 * reconnecting.
 */
final class ClientSession extends ChannelInboundHandlerAdapter implements ReplyListener, ChannelFutureListener {

    private enum State { GREETING, EHLO, WAITING, ENVELOPE, BODY, RSET, QUIT, DONE }

    private static final long NONE = MessageSchedule.NONE;

    private final ConnectionSlot slot;
    private final RunContext run;
    private final LoopStats stats;
    private final WireCommands wire;
    private final Runnable startTask = this::startClaimed;
    private ChannelHandlerContext ctx;
    private State state = State.GREETING;
    private boolean pipelined;
    private int transactions;
    private int completed;
    private ScheduledFuture<?> pendingStart;

    // The message in progress (NONE when idle).
    private long message = NONE;
    private long intendedNanos;
    private long dotWrittenNanos;
    private int replyIndex;
    private int acceptedRcpts;
    private int rejectedRcpts;
    private int firstRcptFailure;
    private int failureCode;

    ClientSession(ConnectionSlot slot, RunContext run, LoopStats stats) {
        this.slot = slot;
        this.run = run;
        this.stats = stats;
        this.wire = run.wire();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void onReply(int code, boolean offersPipelining) {
        if (code == 421 && state != State.QUIT) {
            // Service closing: the server will drop us; fail what is in progress and close first.
            if (message != NONE && state != State.WAITING) {
                finishRejected(421); // a message still waiting to start is counted lost by channelInactive
            }
            fail("server sent 421 in state " + state);
            return;
        }
        switch (state) {
            case GREETING -> {
                if (code != 220) {
                    fail("greeting " + code);
                    return;
                }
                state = State.EHLO;
                ctx.writeAndFlush(wire.ehlo.duplicate(), ctx.voidPromise());
            }
            case EHLO -> {
                if (code != 250) {
                    fail("EHLO " + code);
                    return;
                }
                pipelined = run.settings().pipelining() && offersPipelining;
                stats.sessions++;
                if (pipelined) {
                    stats.pipelinedSessions++;
                }
                nextMessage();
            }
            case ENVELOPE -> onEnvelopeReply(code);
            case BODY -> onFinalReply(code);
            case RSET -> nextMessage();
            case QUIT -> {
                state = State.DONE;
                ctx.close();
            }
            default -> {
                // A reply nobody asked for (WAITING, DONE): ignore; a 421 was handled above.
            }
        }
    }

    private void onEnvelopeReply(int code) {
        int recipients = wire.rcpt.length;
        boolean ok = code >= 200 && code < 300;
        if (replyIndex == 0) {
            if (!ok) {
                failureCode = code;
            }
        } else if (replyIndex <= recipients) {
            if (ok) {
                acceptedRcpts++;
            } else {
                rejectedRcpts++;
                if (firstRcptFailure == 0) {
                    firstRcptFailure = code;
                }
            }
        }
        int answered = replyIndex++;
        if (answered <= recipients) {
            if (answered == recipients && failureCode == 0 && acceptedRcpts == 0) {
                failureCode = firstRcptFailure;
            }
            if (!pipelined) {
                if (failureCode != 0) {
                    abortTransaction();
                } else {
                    ctx.writeAndFlush((answered < recipients ? wire.rcpt[answered] : wire.data).duplicate(),
                            ctx.voidPromise());
                }
            }
            return;
        }
        // The DATA reply.
        if (code != 354) {
            if (failureCode == 0) {
                failureCode = code;
            }
            abortTransaction();
            return;
        }
        state = State.BODY;
        ctx.write(wire.headerFor(ctx.alloc(), message), ctx.voidPromise());
        ChannelPromise written = ctx.newPromise();
        written.addListener(this);
        dotWrittenNanos = 0;
        ctx.writeAndFlush(wire.body.duplicate(), written);
    }

    /** The body's write completed: the final ".CRLF" is in the kernel, submission latency starts now. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            dotWrittenNanos = System.nanoTime();
        } else {
            ctx.close();
        }
    }

    private void onFinalReply(int code) {
        long now = System.nanoTime();
        if (code == 250 && failureCode == 0) {
            stats.accepted++;
            stats.recipientRejects += rejectedRcpts;
            if (!run.schedule().isWarmup(message)) {
                long ackNanos = now - (dotWrittenNanos != 0 ? dotWrittenNanos : now);
                stats.recordLatency(stats.ackMicros, ackNanos);
                stats.recordLatency(stats.latencyMicros,
                        run.schedule().openLoop() ? now - intendedNanos : ackNanos);
            }
            finishMessage(now);
        } else {
            finishRejected(failureCode != 0 ? failureCode : code);
        }
        nextMessage();
    }

    private void abortTransaction() {
        finishRejected(failureCode);
        state = State.RSET;
        ctx.writeAndFlush(wire.rset.duplicate(), ctx.voidPromise());
    }

    private void finishRejected(int code) {
        stats.rejectsByCode[code > 0 && code < LoopStats.CODES ? code : 0]++;
        finishMessage(System.nanoTime());
    }

    private void finishMessage(long now) {
        if (!run.schedule().isWarmup(message)) {
            stats.markCompletion(now);
        }
        message = NONE;
        completed++;
    }

    private void nextMessage() {
        MessageSchedule schedule = run.schedule();
        if (transactions >= run.settings().perConnection() || schedule.stopped()) {
            quit();
            return;
        }
        long now = System.nanoTime();
        long n = schedule.claim(now);
        if (n == NONE) {
            quit();
            return;
        }
        message = n;
        transactions++;
        if (schedule.openLoop()) {
            intendedNanos = schedule.intendedStartNanos(n);
            long wait = intendedNanos - now;
            if (wait > 0) {
                state = State.WAITING;
                pendingStart = ctx.executor().schedule(startTask, wait, TimeUnit.NANOSECONDS);
                return;
            }
        } else {
            intendedNanos = now;
        }
        startClaimed();
    }

    private void startClaimed() {
        pendingStart = null;
        if (!ctx.channel().isActive() || message == NONE) {
            return; // channelInactive accounts for the claimed message
        }
        long now = System.nanoTime();
        if (run.schedule().openLoop() && now - intendedNanos > stats.maxStartLagNanos) {
            stats.maxStartLagNanos = now - intendedNanos;
        }
        stats.sent++;
        if (!run.schedule().isWarmup(message)) {
            stats.markMeasuredStart(intendedNanos, now);
        }
        replyIndex = 0;
        acceptedRcpts = 0;
        rejectedRcpts = 0;
        firstRcptFailure = 0;
        failureCode = 0;
        state = State.ENVELOPE;
        ByteBuf first = pipelined ? wire.envelope : wire.mail;
        ctx.writeAndFlush(first.duplicate(), ctx.voidPromise());
    }

    private void quit() {
        state = State.QUIT;
        ctx.writeAndFlush(wire.quit.duplicate(), ctx.voidPromise());
    }

    private void fail(String reason) {
        stats.lastError = reason;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pendingStart != null) {
            pendingStart.cancel(false);
            pendingStart = null;
        }
        boolean stopping = run.schedule().stopped();
        if (message != NONE) {
            if (stopping) {
                stats.abandoned++; // cut off by the timeout: neither a result nor a completion
                message = NONE;
            } else {
                stats.lostToConnection++;
                finishMessage(System.nanoTime());
            }
        }
        boolean clean = state == State.QUIT || state == State.DONE;
        if (!clean && !stopping) {
            stats.connectionErrors++;
        }
        slot.sessionEnded(clean, completed > 0);
    }
}
