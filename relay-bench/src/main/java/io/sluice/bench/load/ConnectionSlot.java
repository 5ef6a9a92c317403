package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;

import java.util.concurrent.TimeUnit;

/**
 * One of the {@code --connections} concurrent connections, over its lifetime: connects, lets a
 * {@link ClientSession} run up to {@code perConnection} messages, and reconnects while messages remain.
 *
 * <p>Every connection of a slot lives on the same event loop, so the slot, its sessions and the loop's
 * {@link LoopStats} are confined to one thread. A slot gives up after {@value #MAX_CONSECUTIVE_FAILURES}
 * consecutive failed connections (connect errors, or sessions that ended in error without finishing a message),
 * waiting {@value #FIRST_BACKOFF_MS} ms doubling to {@value #MAX_BACKOFF_MS} ms in between; that bounds a run
 * against a dead or hostile port. It counts down the run's latch exactly once when it stops.
 */
final class ConnectionSlot {

    static final int MAX_CONSECUTIVE_FAILURES = 5;
    static final long FIRST_BACKOFF_MS = 50;
    static final long MAX_BACKOFF_MS = 1000;
    static final int CONNECT_TIMEOUT_MS = 5000;

    private final RunContext run;
    private final EventLoop loop;
    private final LoopStats stats;
    private final Bootstrap bootstrap;
    private int consecutiveFailures;
    private boolean finished;

    ConnectionSlot(RunContext run, EventLoop loop, LoopStats stats, Class<? extends SocketChannel> channelType) {
        this.run = run;
        this.loop = loop;
        this.stats = stats;
        ConnectionSlot slot = this;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ClientSession session = new ClientSession(slot, run, stats);
                        ch.pipeline().addLast(new ReplyDecoder(session), session);
                    }
                });
    }

    /** Starts the first connection; callable from any thread. */
    void start() {
        loop.execute(this::connect);
    }

    private void connect() {
        if (noWorkLeft()) {
            finish();
            return;
        }
        bootstrap.connect(run.target()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                stats.connectionErrors++;
                Throwable cause = f.cause();
                stats.lastError = "connect: " + (cause == null ? "failed" : cause.getMessage());
                failedConnection();
            }
        });
    }

    /**
     * Called by the session when its channel has closed.
     *
     * @param clean      the session ended with QUIT
     * @param progressed the session finished at least one message, so the server is alive
     */
    void sessionEnded(boolean clean, boolean progressed) {
        if (clean || progressed) {
            consecutiveFailures = 0;
            connect();
        } else {
            failedConnection();
        }
    }

    private void failedConnection() {
        consecutiveFailures++;
        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES || noWorkLeft()) {
            finish();
            return;
        }
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (consecutiveFailures - 1));
        loop.schedule(this::connect, backoff, TimeUnit.MILLISECONDS);
    }

    private boolean noWorkLeft() {
        MessageSchedule schedule = run.schedule();
        return schedule.stopped() || schedule.claimed() >= run.settings().totalMessages();
    }

    private void finish() {
        if (!finished) {
            finished = true;
            run.slotsDone().countDown();
        }
    }
}
