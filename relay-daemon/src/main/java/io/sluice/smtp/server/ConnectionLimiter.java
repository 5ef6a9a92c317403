package io.sluice.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Caps concurrent connections over all listeners ({@code smtp.max_connections}) and per client address
 * ({@code smtp.max_connections_per_ip}). A connection over a cap gets {@code 421 4.7.0} and is closed before any
 * session exists; a connection that arrives during shutdown gets {@code 421 4.3.2}. The per-address map holds only
 * addresses with open connections, so it is bounded by the global cap.
 *
 * <p>Shared by all channels; thread-safe. Limits are read per connection, so a reload applies to new connections.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("sluice.counted");

    private final IntSupplier maxTotal;
    private final IntSupplier maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(IntSupplier maxTotal, IntSupplier maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ListenerContext listener = ctx.channel().attr(SmtpServer.LISTENER).get();
        if (listener.isShuttingDown()) {
            refuse(ctx, listener, Rejection.SHUTTING_DOWN);
            return;
        }
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (total.incrementAndGet() > maxTotal.getAsInt()) {
            total.decrementAndGet();
            refuse(ctx, listener, Rejection.TOO_MANY_CONNECTIONS);
            return;
        }
        AtomicInteger count = perAddress.compute(address, (a, c) -> {
            AtomicInteger counter = c == null ? new AtomicInteger() : c;
            counter.incrementAndGet();
            return counter;
        });
        if (count.get() > maxPerAddress.getAsInt()) {
            release(address);
            refuse(ctx, listener, Rejection.TOO_MANY_CONNECTIONS_PER_IP);
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        listener.observer().connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            release(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
            ctx.channel().attr(SmtpServer.LISTENER).get().observer().connectionClosed();
            super.channelInactive(ctx);
        }
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    private static void refuse(ChannelHandlerContext ctx, ListenerContext listener, Rejection reason) {
        listener.observer().rejected(reason);
        // No session exists for this channel: read nothing, so no input ever reaches the handlers behind us.
        ctx.channel().config().setAutoRead(false);
        io.netty.buffer.ByteBuf reply = reason == Rejection.SHUTTING_DOWN ? SmtpReplies.SHUTTING_DOWN
                : reason == Rejection.TOO_MANY_CONNECTIONS ? SmtpReplies.TOO_MANY_CONNECTIONS
                : SmtpReplies.TOO_MANY_CONNECTIONS_FROM_IP;
        ctx.writeAndFlush(reply.duplicate()).addListener(ChannelFutureListener.CLOSE);
    }

    int open() {
        return total.get();
    }
}
