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
import java.util.function.LongSupplier;

/**
 * Caps concurrent connections over all listeners ({@code smtp.max_connections}) and per client address
 * ({@code smtp.max_connections_per_ip}). A connection over a cap gets {@code 421 4.7.0} and is closed before any
 * session exists; a connection that arrives during shutdown gets {@code 421 4.3.2}. The per-address map holds only
 * addresses with open connections, so it is bounded by the global cap.
 *
 * <p>Stalled sessions give way (slow clients must not lock out the ones moving mail): when the global
 * cap is full, the new connection is admitted if some session has made no progress (no complete command, no message
 * text at {@code smtp.min_data_rate}, no 250) for at least {@code smtp.evict_stalled_after}; the one stalled longest is
 * told {@code 421 4.7.0 ... closing a stalled session} and closed on its own event loop. Until it has closed, the count
 * is one above the cap; a session whose message is with the journal is never closed this way. A client moving mail
 * makes progress within milliseconds, so only idle or trickling sessions are ever chosen; a cap full of sessions
 * that all progress still refuses new connections. {@code evict_stalled_after: 0} turns this off.
 *
 * <p>Shared by all channels; thread-safe. Limits are read per connection, so a reload applies to new connections.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("sluice.counted");

    private final IntSupplier maxTotal;
    private final IntSupplier maxPerAddress;
    private final LongSupplier evictStalledAfterNanos;
    private final SessionRegistry sessions;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(IntSupplier maxTotal, IntSupplier maxPerAddress, LongSupplier evictStalledAfterNanos,
            SessionRegistry sessions) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.evictStalledAfterNanos = evictStalledAfterNanos;
        this.sessions = sessions;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ListenerContext listener = ctx.channel().attr(SmtpServer.LISTENER).get();
        if (listener.isShuttingDown()) {
            refuse(ctx, listener, Rejection.SHUTTING_DOWN);
            return;
        }
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        boolean overTotal = total.incrementAndGet() > maxTotal.getAsInt();
        if (overTotal && !evictionEnabled()) {
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
        // Over the cap and within the address's share: take the slot of the session stalled longest, if one still is.
        if (overTotal && !evictStalled()) {
            release(address);
            refuse(ctx, listener, Rejection.TOO_MANY_CONNECTIONS);
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

    /** {@code evict_stalled_after} is not 0: a full cap may still admit by closing a stalled session. */
    private boolean evictionEnabled() {
        return evictStalledAfterNanos.getAsLong() > 0;
    }

    /** Closes the session stalled longest to make room; false when none has stalled long enough. */
    private boolean evictStalled() {
        long after = evictStalledAfterNanos.getAsLong();
        if (after <= 0) {
            return false;
        }
        SmtpSession victim = sessions.claimMostStalled(after);
        if (victim == null) {
            return false;
        }
        victim.eventLoop().execute(victim::evictStalled);
        return true;
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
