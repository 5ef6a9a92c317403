package io.sluice.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.config.WebSettings;
import io.sluice.metrics.FeedbackMetrics;
import io.sluice.model.UnsubscribeToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public web listener ({@code web} in sluice.yaml): one-click unsubscribe only ({@link UnsubscribeHandler}),
 * never the admin API, which stays on loopback with its token.
 *
 * <p>Limits for hostile clients on the internet: {@code max_connections} open at once (more are closed when they
 * connect), {@code max_requests_per_ip} a minute ({@link PerIpRate}, 429 beyond), request line
 * {@value #MAX_INITIAL_LINE_BYTES} B, headers {@value #MAX_HEADER_BYTES} B, body {@value #MAX_BODY_BYTES} B (413
 * beyond), a connection idle {@value #IDLE_SECONDS} s is closed, and at most {@value #WORKER_QUEUE} unsubscribes wait
 * for the worker thread (503 beyond). HTTPS with {@code tls_cert}/{@code tls_key}, else plain HTTP behind a TLS proxy.
 *
 * <p>Threading: {@link #start} and {@link #close} on the lifecycle thread; requests on the shared event loops and
 * the server's worker thread.
 */
public final class UnsubscribeServer implements AutoCloseable {
    /** The path prefix of unsubscribe links: {@code <url_base>/u/<token>}. */
    public static final String PATH = "/u/";
    static final int MAX_INITIAL_LINE_BYTES = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    static final int MAX_BODY_BYTES = 4096;
    static final int IDLE_SECONDS = 10;
    static final int WORKER_QUEUE = 64;

    private final WebSettings settings;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelClass;
    private final UnsubscribeToken tokens;
    private final UnsubscribeRequests requests;
    private final FeedbackMetrics metrics;
    private final ChannelGroup connections = new DefaultChannelGroup("sluice-web", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final ThreadPoolExecutor worker;
    private Channel serverChannel;

    public UnsubscribeServer(WebSettings settings, EventLoopGroup group, Class<? extends ServerChannel> channelClass,
                             UnsubscribeToken tokens, UnsubscribeRequests requests, FeedbackMetrics metrics) {
        this.settings = settings;
        this.group = group;
        this.channelClass = channelClass;
        this.tokens = tokens;
        this.requests = requests;
        this.metrics = metrics;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WORKER_QUEUE),
                r -> {
                    Thread t = new Thread(r, "sluice-web-worker");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Binds; returns once it accepts connections. */
    public void start() throws IOException {
        SslContext ssl = null;
        if (settings.tls()) {
            ssl = SslContextBuilder.forServer(settings.tlsCertFile().toFile(), settings.tlsKeyFile().toFile()).build();
        }
        SslContext tls = ssl;
        PerIpRate rate = new PerIpRate(settings.maxRequestsPerIp(), System.nanoTime());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(channelClass)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > settings.maxConnections()) {
                            open.decrementAndGet();
                            metrics.webRequest(FeedbackMetrics.WebResult.REFUSED);
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                                        .setMaxHeaderSize(MAX_HEADER_BYTES)))
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new UnsubscribeHandler(tokens, requests, rate, worker, metrics,
                                        settings.trustedProxies()));
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(settings.address(), settings.port()));
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind the web listener to " + settings.address() + ":" + settings.port()
                    + ": " + bound.cause(), bound.cause());
        }
        serverChannel = bound.channel();
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes open connections, lets a running unsubscribe finish (at most 5 s). */
    @Override
    public void close() throws InterruptedException {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        connections.close().awaitUninterruptibly();
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
