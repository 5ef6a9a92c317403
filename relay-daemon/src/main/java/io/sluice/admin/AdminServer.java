package io.sluice.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP endpoint: {@code /healthz}, {@code /readyz}, {@code /metrics} and (later) the admin API, served
 * from a {@link RouteTable} on loopback only.
 *
 * <p>Inputs: a loopback bind address (port 0 picks a free port), the daemon's shared event-loop group and its
 * server channel class, and the routes. Refuses any non-loopback address with {@link IllegalArgumentException}:
 * the endpoint exposes operational detail and, with the API, control of the daemon.
 *
 * <p>Limits (hostile local clients): request line {@value #MAX_INITIAL_LINE_BYTES} B, headers
 * {@value #MAX_HEADER_BYTES} B, body {@value #MAX_CONTENT_BYTES} B (413 beyond), a connection idle for
 * {@value #IDLE_TIMEOUT_SECONDS} s is closed, and at most {@value #WORKER_QUEUE} requests wait for the single worker
 * thread (503 beyond).
 *
 * <p>Threading: {@link #start()} and {@link #stop()} are called by the daemon's lifecycle thread, never from an
 * event loop (they block until bound or closed). Requests are decoded on the shared loop; slow routes run on the
 * server's own worker thread (see {@link Route.Execution}).
 *
 * <p>Failure modes: {@link #start()} throws {@link IOException} when the address cannot be bound (in use, not
 * local). {@link #stop()} closes the listening socket and open connections, and is idempotent; a stopped server
 * cannot be started again.
 */
public final class AdminServer implements AutoCloseable {
    public static final int MAX_INITIAL_LINE_BYTES = 4096;
    public static final int MAX_HEADER_BYTES = 8192;
    public static final int MAX_CONTENT_BYTES = 64 * 1024;
    public static final int IDLE_TIMEOUT_SECONDS = 30;
    public static final int WORKER_QUEUE = 16;
    private static final long STOP_WAIT_MS = 2_000;

    private final InetSocketAddress requested;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelClass;
    private final RouteTable routes;
    private final boolean ownsGroup;
    private final ChannelGroup connections = new DefaultChannelGroup("sluice-admin", GlobalEventExecutor.INSTANCE);
    private final ThreadPoolExecutor worker;
    private volatile Channel serverChannel;
    /** Set by {@link #stop()}: the worker is gone, so a stopped server cannot start again. */
    private volatile boolean stopped;

    /**
     * @param bindAddress  a loopback address and port (0 = any free port)
     * @param group        the daemon's shared event-loop group; not shut down by {@link #stop()}
     * @param channelClass the server channel class matching {@code group}'s I/O handler (epoll or NIO)
     * @param routes       what to serve
     * @throws IllegalArgumentException when {@code bindAddress} is unresolved or not a loopback address
     */
    public AdminServer(InetSocketAddress bindAddress, EventLoopGroup group, Class<? extends ServerChannel> channelClass,
                       RouteTable routes) {
        this(bindAddress, group, channelClass, routes, false);
    }

    private AdminServer(InetSocketAddress bindAddress, EventLoopGroup group, Class<? extends ServerChannel> channelClass,
                        RouteTable routes, boolean ownsGroup) {
        this.requested = requireLoopback(bindAddress);
        this.group = Objects.requireNonNull(group, "group");
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.ownsGroup = ownsGroup;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), runnable -> {
                    Thread t = new Thread(runnable, "sluice-admin-worker");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * A server with its own one-thread NIO event loop, shut down by {@link #stop()}: for tests and tools that have
     * no shared group. The daemon uses the public constructor.
     */
    public static AdminServer standalone(InetSocketAddress bindAddress, RouteTable routes) {
        requireLoopback(bindAddress);
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        return new AdminServer(bindAddress, own, NioServerSocketChannel.class, routes, true);
    }

    /**
     * Binds and returns once the socket accepts connections.
     *
     * @throws IOException when binding fails (address in use, not local)
     * @throws IllegalStateException when already started, or stopped
     */
    public void start() throws IOException {
        if (stopped) {
            throw new IllegalStateException("admin server was stopped; build a new one");
        }
        if (serverChannel != null) {
            throw new IllegalStateException("admin server already started on " + serverChannel.localAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                                        .setMaxHeaderSize(MAX_HEADER_BYTES)))
                                .addLast(new HttpObjectAggregator(MAX_CONTENT_BYTES))
                                .addLast(new AdminHttpHandler(routes, worker));
                    }
                });
        ChannelFuture bound = bootstrap.bind(requested);
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bound.channel().close();
            throw new InterruptedIOException("interrupted while binding the admin server to " + requested);
        }
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind the admin server to " + requested + ": " + bound.cause(),
                    bound.cause());
        }
        serverChannel = bound.channel();
    }

    /** The bound address (with the real port when 0 was requested). */
    public InetSocketAddress localAddress() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("admin server not started");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** The bound port. */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * Closes the listening socket and every open admin connection; returns when they are closed. Idempotent. (With
     * NIO the JDK releases a closed listening descriptor at the loop's next select, a moment later: a connection
     * racing the stop is reset, never served.)
     */
    public void stop() {
        stopped = true;
        Channel ch = serverChannel;
        serverChannel = null;
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
        connections.close().awaitUninterruptibly();
        worker.shutdownNow();
        try {
            worker.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, STOP_WAIT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static InetSocketAddress requireLoopback(InetSocketAddress address) {
        Objects.requireNonNull(address, "bindAddress");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("admin address " + address.getHostString()
                    + " is unresolved; give a loopback literal such as 127.0.0.1 or ::1");
        }
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("admin address " + address.getAddress().getHostAddress()
                    + " is not a loopback address; the admin server binds to 127.0.0.0/8 or ::1 only");
        }
        return address;
    }
}
