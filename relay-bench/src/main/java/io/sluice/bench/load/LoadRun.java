package io.sluice.bench.load;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load test end to end and returns its {@link LoadReport}; the in-process API behind {@code load}.
 *
 * <p>Steps: refuse a non-loopback target ({@link LoopbackTarget}), build the message and commands once, start
 * {@code threads} Netty event loops (epoll when available, else NIO) and {@code connections} slots spread over them,
 * wait until every slot is done or the hard timeout passes, shut the loops down (which closes what is still open),
 * then merge the per-loop counters. Blocking: the calling thread waits for the run. Failure modes:
 * {@link LoopbackTarget.NonLoopbackTargetException} before any connection; {@link InterruptedException} stops the
 * run early (the loops are still shut down).
 */
public final class LoadRun {

    /** Loops get this long to close their channels after the run. */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private LoadRun() {
    }

    public static LoadReport execute(LoadSettings settings) throws InterruptedException {
        InetAddress address = LoopbackTarget.resolve(settings.host());
        InetSocketAddress target = new InetSocketAddress(address, settings.port());
        MessageTemplate template = MessageTemplate.create(settings.sizeBytes(), settings.mailFrom(),
                settings.rcptTo(), ZonedDateTime.now(ZoneOffset.UTC));
        WireCommands wire = new WireCommands(template, "sluice-bench.localhost", settings.mailFrom(),
                settings.recipientAddresses());
        MessageSchedule schedule = new MessageSchedule(settings.totalMessages(), settings.warmup(),
                settings.ratePerSecond());
        RunContext run = new RunContext(settings, target, schedule, wire,
                new CountDownLatch(settings.connections()));

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends SocketChannel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        int threads = Math.min(settings.threads(), settings.connections());
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        long highestMicros = Math.max(TimeUnit.SECONDS.toMicros(1), settings.timeout().toNanos() / 1000);
        List<EventLoop> loops = new ArrayList<>();
        List<LoopStats> stats = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
            stats.add(new LoopStats(highestMicros));
        }
        boolean timedOut;
        try {
            for (int i = 0; i < settings.connections(); i++) {
                int loop = i % loops.size();
                new ConnectionSlot(run, loops.get(loop), stats.get(loop), channelType).start();
            }
            timedOut = !run.slotsDone().await(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            schedule.stop();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            group.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            wire.release();
        }
        return merge(settings, target, epoll ? "epoll" : "nio", template, schedule, stats, timedOut);
    }

    private static LoadReport merge(LoadSettings settings, InetSocketAddress target, String transport,
                                    MessageTemplate template, MessageSchedule schedule, List<LoopStats> loops,
                                    boolean timedOut) {
        LoopStats all = new LoopStats(loops.get(0).latencyMicros.getHighestTrackableValue());
        long[] codes = all.rejectsByCode;
        for (LoopStats s : loops) {
            all.sent += s.sent;
            all.accepted += s.accepted;
            for (int c = 0; c < LoopStats.CODES; c++) {
                codes[c] += s.rejectsByCode[c];
            }
            all.recipientRejects += s.recipientRejects;
            all.lostToConnection += s.lostToConnection;
            all.abandoned += s.abandoned;
            all.connectionErrors += s.connectionErrors;
            if (s.lastError != null) {
                all.lastError = s.lastError;
            }
            all.sessions += s.sessions;
            all.pipelinedSessions += s.pipelinedSessions;
            all.measuredDone += s.measuredDone;
            all.firstMeasuredStartNanos = Math.min(all.firstMeasuredStartNanos, s.firstMeasuredStartNanos);
            all.lastCompletionNanos = Math.max(all.lastCompletionNanos, s.lastCompletionNanos);
            all.maxStartLagNanos = Math.max(all.maxStartLagNanos, s.maxStartLagNanos);
            all.measuredStarted += s.measuredStarted;
            all.lastStartNanos = Math.max(all.lastStartNanos, s.lastStartNanos);
            all.latencyMicros.add(s.latencyMicros);
            all.ackMicros.add(s.ackMicros);
        }
        TreeMap<Integer, Long> rejects = new TreeMap<>();
        for (int c = 0; c < LoopStats.CODES; c++) {
            if (codes[c] > 0) {
                rejects.put(c, codes[c]);
            }
        }
        boolean measured = all.measuredDone > 0 && all.lastCompletionNanos > all.firstMeasuredStartNanos;
        double elapsed = measured ? (all.lastCompletionNanos - all.firstMeasuredStartNanos) / 1e9 : 0;
        long measuredAccepted = all.latencyMicros.getTotalCount();
        double acceptedRate = elapsed > 0 ? measuredAccepted / elapsed : 0;
        double completedRate = elapsed > 0 ? all.measuredDone / elapsed : 0;
        long unsent = settings.totalMessages() - schedule.claimed();
        double startedRate = 0;
        Boolean sustained = null;
        if (settings.openLoop()) {
            // Starts, not completions, show whether the schedule held: with every connection busy they fall behind.
            long span = all.lastStartNanos - all.firstMeasuredStartNanos;
            startedRate = all.measuredStarted > 1 && span > 0 ? (all.measuredStarted - 1) / (span / 1e9)
                    : settings.ratePerSecond();
            sustained = startedRate >= LoadReport.SUSTAINED_FRACTION * settings.ratePerSecond()
                    && unsent == 0 && !timedOut;
        }
        return new LoadReport(settings,
                target.getAddress().getHostAddress() + ":" + target.getPort(),
                transport, template.sizeBytes(), settings.totalMessages(), all.sent, all.accepted, rejects,
                all.recipientRejects, all.lostToConnection, all.abandoned, unsent, all.connectionErrors,
                all.lastError, all.sessions, all.pipelinedSessions, timedOut, elapsed, acceptedRate,
                completedRate, startedRate, LatencySummary.of(all.latencyMicros),
                LatencySummary.of(all.ackMicros), sustained, all.maxStartLagNanos / 1e6);
    }
}
