package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DeliverySettings.OutboundTls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One NIO event loop, connectors with short timeouts, and small helpers shared by the outbound tests. */
final class OutboundFixture implements AutoCloseable {
    static final Duration SHORT = Duration.ofMillis(300);
    static final Duration NORMAL = Duration.ofSeconds(3);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<ByteBuf> bodies = new ArrayList<>();

    /** Settings as in sluice.yaml, with test-sized timeouts; {@code dotTimeout} is the final-dot reply wait. */
    static DeliverySettings settings(OutboundTls tls, Duration timeout, Duration dotTimeout, String bindAddress) {
        DeliverySettings d = DeliverySettings.defaults("sluice.test");
        return new DeliverySettings(d.mxPort(), true, "sluice.test", bindAddress, tls, timeout, timeout, timeout,
                timeout, timeout, dotTimeout, 10, d.maxConnectionsPerSite(), d.maxDeliveriesPerConnection(),
                d.connectionMaxAge(), d.idleTimeout(), d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(),
                d.dsn(), d.assumeDeliveredOnDotTimeout());
    }

    static DeliverySettings settings() {
        return settings(OutboundTls.OPPORTUNISTIC, NORMAL, NORMAL, null);
    }

    OutboundConnector connector(DeliverySettings settings) {
        return new OutboundConnector(group, NioSocketChannel.class, settings, null);
    }

    OutboundConnector connector(DeliverySettings settings, OpportunisticTls trust) {
        return new OutboundConnector(group, NioSocketChannel.class, settings, null, trust);
    }

    OutboundConnector connector() {
        return connector(settings());
    }

    /**
     * A direct buffer with the text's UTF-8 bytes, as the dispatcher would load a stored message; the fixture
     * plays the caller that owns it and releases it on {@link #close()}.
     */
    ByteBuf body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        bodies.add(body);
        return body;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The typed failure a future completed with. */
    static OutboundException failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutboundException failure) {
                return failure;
            }
            throw new AssertionError("failed with " + e.getCause(), e.getCause());
        }
        throw new AssertionError("completed normally");
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (ByteBuf body : bodies) {
            if (body.refCnt() > 0) {
                body.release();
            }
        }
    }
}
